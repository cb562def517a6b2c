package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsWhatTheAdminEndpointWritesAndWritesItBack() {
    String text = "{\"a\":[1,-2,3.5,true,false,null],\"b\":{\"c\":\"x\\\"y\\\\z\\u0041\\n\"},\"d\":[]}";
    Object parsed = Json.parse(text);
    assertThat(parsed).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -2L, 3.5, true, false, null),
        "b", Map.of("c", "x\"y\\zA\n"), "d", List.of()));
    assertThat(Json.write(parsed)).isEqualTo(text.replace("\\u0041", "A").replace("\\n", "\\u000a"));
  }

  @Test
  void refusesWhatIsNotJson() {
    for (String bad : List.of("", "{", "{\"a\"}", "[1,]", "tru", "\"abc", "{} x", "[" .repeat(40) + "]".repeat(40))) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
