package io.heartbeat.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the links of a Markdown page (inline links and images, reference definitions,
 * autolinks, HTML href/src; not inside code) and checks that each stays in the repository and
 * resolves to a file, plus a heading when it names an anchor in a Markdown file.
 */
final class DocLinks {

  private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?"
      + "(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile(
      "^ {0,3}\\[[^\\]]+\\]:\\s+<?(\\S+?)>?(\\s|$)");
  private static final Pattern AUTOLINK = Pattern.compile("<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\\s]+)>");
  private static final Pattern HTML = Pattern.compile("(?:href|src)\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  private DocLinks() {
  }

  /** The link targets of {@code page}, in order. */
  static List<String> linksIn(Path page) throws IOException {
    List<String> links = new ArrayList<>();
    for (String line : proseLines(page)) {
      for (Pattern p : List.of(INLINE, REFERENCE, AUTOLINK, HTML)) {
        Matcher m = p.matcher(line);
        while (m.find()) {
          links.add(m.group(1));
        }
      }
    }
    return links;
  }

  /** One line per link of {@code page} that leaves {@code root} or does not resolve. */
  static List<String> check(Path root, Path page) throws IOException {
    Path top = root.toAbsolutePath().normalize();
    List<String> problems = new ArrayList<>();
    String name = top.relativize(page.toAbsolutePath().normalize()).toString();
    for (String link : linksIn(page)) {
      if (SCHEME.matcher(link).find()) {
        problems.add(name + ": " + link + " leaves the repository (links must be relative)");
        continue;
      }
      int hash = link.indexOf('#');
      String file = hash < 0 ? link : link.substring(0, hash);
      String anchor = hash < 0 ? null : link.substring(hash + 1);
      Path target = file.isEmpty() ? page.toAbsolutePath().normalize()
          : page.toAbsolutePath().getParent().resolve(file).normalize();
      if (!target.startsWith(top)) {
        problems.add(name + ": " + link + " points outside the repository");
      } else if (!Files.exists(target)) {
        problems.add(name + ": " + link + " does not exist");
      } else if (anchor != null && target.toString().endsWith(".md")
          && !anchors(target).contains(anchor)) {
        problems.add(name + ": " + link + " names no heading of " + top.relativize(target));
      }
    }
    return problems;
  }

  /** The anchors a Markdown renderer gives the headings of {@code page}, duplicates numbered. */
  static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseLines(page)) {
      Matcher m = HEADING.matcher(line);
      if (m.matches()) {
        String slug = slug(m.group(1));
        int n = seen.merge(slug, 1, Integer::sum);
        anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
    }
    return anchors;
  }

  /** Heading text to anchor: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
    StringBuilder slug = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        slug.append(c);
      } else if (c == ' ') {
        slug.append('-');
      }
    }
    return slug.toString();
  }

  /** Lines outside fenced and indented code, with inline code spans removed. */
  private static List<String> proseLines(Path page) throws IOException {
    List<String> lines = new ArrayList<>();
    boolean fenced = false;
    boolean previousBlank = true;
    boolean indentedBlock = false;
    for (String line : Files.readAllLines(page)) {
      if (line.stripLeading().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      boolean indented = line.startsWith("    ") || line.startsWith("\t");
      indentedBlock = indented && (previousBlank || indentedBlock) && !line.isBlank();
      previousBlank = line.isBlank();
      if (indentedBlock && !line.stripLeading().startsWith("-")) {
        continue;
      }
      lines.add(line.replaceAll("`[^`]*`", ""));
    }
    return lines;
  }
}
