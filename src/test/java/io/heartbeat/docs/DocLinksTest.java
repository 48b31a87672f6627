package io.heartbeat.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md and docs/*.md link only inside the repository, and every link lands: the file or
 * folder exists and, when the link names an anchor in a Markdown file, that file has the heading.
 */
class DocLinksTest {

  @Test
  void everyLinkInReadmeAndDocsResolvesInsideTheRepository() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertTrue(pages.size() >= 6, "README and the docs pages: " + pages);
    List<String> problems = new ArrayList<>();
    int links = 0;
    for (Path page : pages) {
      links += DocLinks.linksIn(page).size();
      problems.addAll(DocLinks.check(root, page));
    }
    assertTrue(links > 20, "links found: " + links);
    assertEquals(List.of(), problems);
  }

  @Test
  void readmeStaysAFrontDoor() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    assertTrue(lines.size() < 200, "README has " + lines.size() + " lines");
    // CI (.ci/run) runs the test command README gives: the command must stay exactly this; the
    // comment after it may follow the suite's duration.
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("    mvn -B verify      ")
        && line.contains("# build and run every test")),
        "README gives the test command `mvn -B verify`");
  }

  @Test
  void reportsMissingFilesMissingAnchorsAndLinksLeavingTheRepository(@TempDir Path root)
      throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/A.md"), "# Title\n\n## Real section: one\n");
    Path page = root.resolve("README.md");
    Files.writeString(page, String.join("\n",
        "[ok](docs/A.md) [ok anchor](docs/A.md#real-section-one) [self](#intro)",
        "# Intro",
        "[missing](docs/B.md) [bad anchor](docs/A.md#nowhere) [outside](../shared/PROTOCOL.md)",
        "[web](https://example.com/x) <http://example.org>",
        "[ref]: ../../etc/passwd",
        "`[in code](nowhere.md)`",
        "```",
        "[in a block](nowhere.md)",
        "```",
        ""));
    List<String> problems = DocLinks.check(root, page);
    assertEquals(List.of(
        "README.md: docs/B.md does not exist",
        "README.md: docs/A.md#nowhere names no heading of docs/A.md",
        "README.md: ../shared/PROTOCOL.md points outside the repository",
        "README.md: https://example.com/x leaves the repository (links must be relative)",
        "README.md: http://example.org leaves the repository (links must be relative)",
        "README.md: ../../etc/passwd points outside the repository"), problems);
  }

  @Test
  void anchorsFollowTheHeadingSlugRules() {
    assertEquals("version-11-sessions", DocLinks.slug("Version 1.1: sessions"));
    assertEquals("tuning-for-mobile-and-nat-fleets",
        DocLinks.slug("Tuning for mobile and NAT fleets"));
    assertEquals("faults-stalls-and-floods-against-the-service-process",
        DocLinks.slug("Faults, stalls and floods against the service process"));
    assertEquals("run-echopresenceverticle", DocLinks.slug("Run `EchoPresenceVerticle`"));
  }
}
