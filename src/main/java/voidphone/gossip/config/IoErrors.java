package voidphone.gossip.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns the JDK's file exceptions into the few words an operator expects. The JDK puts the path in
 * the message of {@link NoSuchFileException} and friends and the reason nowhere; operators know the
 * C library's wording ({@code No such file or directory}), so that is what they get.
 */
public final class IoErrors {
  private IoErrors() {}

  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : oneLine(message);
  }

  /** Messages from the JDK or libraries may span lines; an operator's error line must not. */
  public static String oneLine(String text) {
    return text == null ? "(no detail)" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
