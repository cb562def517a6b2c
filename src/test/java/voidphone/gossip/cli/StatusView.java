package voidphone.gossip.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node's admin {@code /status} said at one moment: its identity and both views. Parsed from
 * the JSON of {@code voidphone.gossip.admin.NodeStatus}, which has a fixed key order and no nested
 * arrays in the views; the text is kept too, for reports.
 *
 * @param identity the node's identity (hex)
 * @param active identities in its active view (open links)
 * @param passive identities in its passive view
 * @param json the whole response
 */
public record StatusView(String identity, List<String> active, List<String> passive, String json) {
  private static final Pattern OWN_ID = Pattern.compile("^\\{\"identity\":\"([0-9a-f]{64})\"");
  private static final Pattern VIEWS = Pattern.compile("\"active\":\\[(.*?)\\],\"passive\":\\[(.*?)\\],\"counters\":");
  private static final Pattern ENTRY_ID = Pattern.compile("\"identity\":\"([0-9a-f]{64})\"");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  public StatusView {
    active = List.copyOf(active);
    passive = List.copyOf(passive);
  }

  public static StatusView parse(String json) {
    Matcher own = OWN_ID.matcher(json);
    Matcher views = VIEWS.matcher(json);
    if (!own.find() || !views.find()) throw new IllegalArgumentException("not a /status document: " + json);
    return new StatusView(own.group(1), ids(views.group(1)), ids(views.group(2)), json);
  }

  /** GET {@code http://adminAddress/status}; fails with an exception if the node does not answer within 3 s. */
  public static StatusView fetch(HttpClient http, String adminAddress) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + adminAddress + "/status")).timeout(REQUEST_TIMEOUT).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IOException(adminAddress + "/status answered " + response.statusCode());
    return parse(response.body());
  }

  /** The counter {@code name} of {@code /status}'s {@code counters}, or -1 if it has none of that name. */
  public long counter(String name) {
    Matcher m = Pattern.compile("[{,]\"" + Pattern.quote(name) + "\":(\\d+)[,}]").matcher(json.substring(json.indexOf("\"counters\":")));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static List<String> ids(String view) {
    List<String> ids = new ArrayList<>();
    Matcher m = ENTRY_ID.matcher(view);
    while (m.find()) ids.add(m.group(1));
    return ids;
  }
}
