package dev.parley.insights.report;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.pipeline.RunAssignment;
import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.pipeline.Trends.Trend;
import dev.parley.insights.pipeline.Trends.TrendSeries;
import dev.parley.insights.report.Squarify.Rect;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a run as one self-contained HTML page: inline CSS, inline SVG (a squarified treemap of the
 * hierarchy, sparklines) and a few lines of inline script; no external resource of any kind, so the
 * file opens offline from disk and can be mailed as is.
 *
 * <p>All run text (labels, examples) is HTML-escaped, and {@code ://} in it is written as a character
 * reference, so a URL quoted by a user is shown but never becomes a reference the page could load.
 */
public final class HtmlReport {
  private static final double MAP_W = 1000;
  private static final double MAP_H = 540;
  private static final int MAX_MAP_DEPTH = 3;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private HtmlReport() {}

  public static String render(ReportModel model) {
    requireNonNull(model, "model is null");
    Map<String, RunCluster> byId = new HashMap<>();
    Map<String, Integer> topIndex = new HashMap<>();
    int top = 0;
    for (RunCluster c : model.clusters()) {
      byId.put(c.id(), c);
      if (c.parent().isEmpty()) {
        topIndex.put(c.id(), top++);
      }
    }
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(model.title())).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
    out.append("<header><h1>").append(esc(model.title())).append("</h1><div class=\"sub\">Run <code>")
        .append(esc(model.runId())).append("</code> &middot; ").append(esc(WHEN.format(model.createdAt()))).append("</div></header>\n");
    cards(out, model);
    out.append("<section><h2>Map</h2><p class=\"hint\">Area is the number of items. Click a cluster to find it in the table.</p>\n");
    treemap(out, model, byId, topIndex);
    out.append("</section>\n");
    table(out, model, byId, topIndex);
    runSection(out, model);
    out.append("<footer>Made by Parley. This page is self-contained: it loads nothing from anywhere.</footer>\n");
    out.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return out.toString();
  }

  private static void cards(StringBuilder out, ReportModel model) {
    long tops = model.clusters().stream().filter(c -> c.parent().isEmpty()).count();
    long leaves = model.clusters().stream().filter(RunCluster::isLeaf).count();
    out.append("<section class=\"cards\">");
    card(out, "Items clustered", String.format(Locale.ROOT, "%,d", model.inputs()));
    card(out, "Top-level clusters", Long.toString(tops));
    card(out, "Leaf clusters", Long.toString(leaves));
    card(out, "Noise", pct(model.noiseShare()) + " (" + String.format(Locale.ROOT, "%,d", model.noise()) + ")");
    out.append("</section>\n");
  }

  private static void card(StringBuilder out, String name, String value) {
    out.append("<div class=\"card\"><div class=\"v\">").append(esc(value)).append("</div><div class=\"k\">").append(esc(name)).append("</div></div>");
  }

  private static void treemap(StringBuilder out, ReportModel model, Map<String, RunCluster> byId, Map<String, Integer> topIndex) {
    out.append("<svg class=\"treemap\" viewBox=\"0 0 ").append(num(MAP_W)).append(' ').append(num(MAP_H))
        .append("\" role=\"img\" aria-label=\"Treemap of the cluster hierarchy\">\n");
    List<String> ids = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (RunCluster c : model.clusters()) {
      if (c.parent().isEmpty()) {
        ids.add(c.id());
        weights.add((double) c.size());
      }
    }
    if (model.noise() > 0) {
      // Noise is laid out by size like a cluster, so its share is visible at a glance.
      int at = 0;
      while (at < weights.size() && weights.get(at) >= model.noise()) {
        at++;
      }
      ids.add(at, RunAssignment.NOISE);
      weights.add(at, (double) model.noise());
    }
    List<Rect> rects = Squarify.layout(weights, new Rect(0, 0, MAP_W, MAP_H));
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id.equals(RunAssignment.NOISE)) {
        tile(out, rects.get(i), "noise", "Noise (" + pct(model.noiseShare()) + ")", "Not assigned to any cluster: " + model.noise() + " items", "#d9d9d9", true, 1);
      } else {
        clusterTile(out, cluster(byId, id), rects.get(i), byId, topIndex.getOrDefault(id, 0), model.inputs(), 1);
      }
    }
    out.append("</svg>\n");
  }

  private static void clusterTile(StringBuilder out, RunCluster c, Rect r, Map<String, RunCluster> byId, int hueIndex, long total, int level) {
    String name = displayLabel(c);
    String tip = c.id() + " \u2014 " + name + " \u2014 " + c.size() + " items (" + pct(total == 0 ? 0 : (double) c.size() / total) + ")";
    out.append("<g class=\"tile\" data-id=\"").append(esc(c.id())).append("\">");
    boolean hasRoom = r.w() > 40 && r.h() > 34;
    boolean nested = !c.children().isEmpty() && level < MAX_MAP_DEPTH && hasRoom;
    tileBody(out, r, name, tip, colour(hueIndex, level, c.redacted()), !nested || level == 1, level);
    if (nested) {
      double band = level == 1 ? 18 : 14;
      Rect inner = new Rect(r.x() + 2, r.y() + band, Math.max(0, r.w() - 4), Math.max(0, r.h() - band - 2));
      List<Double> weights = new ArrayList<>();
      for (String child : c.children()) {
        weights.add((double) cluster(byId, child).size());
      }
      List<Rect> rects = Squarify.layout(weights, inner);
      for (int i = 0; i < c.children().size(); i++) {
        clusterTile(out, cluster(byId, c.children().get(i)), rects.get(i), byId, hueIndex, total, level + 1);
      }
    }
    out.append("</g>\n");
  }

  /** The cluster of an id the report walks (a top-level cluster's or a child's). */
  private static RunCluster cluster(Map<String, RunCluster> byId, String id) {
    RunCluster c = byId.get(id);
    if (c == null) {
      throw new IllegalArgumentException("the run has no cluster " + id + ", yet it is named as a child");
    }
    return c;
  }

  private static void tile(StringBuilder out, Rect r, String id, String name, String tip, String fill, boolean label, int level) {
    out.append("<g class=\"tile\" data-id=\"").append(esc(id)).append("\">");
    tileBody(out, r, name, tip, fill, label, level);
    out.append("</g>\n");
  }

  private static void tileBody(StringBuilder out, Rect r, String name, String tip, String fill, boolean label, int level) {
    out.append("<rect x=\"").append(num(r.x() + 0.5)).append("\" y=\"").append(num(r.y() + 0.5))
        .append("\" width=\"").append(num(Math.max(0, r.w() - 1))).append("\" height=\"").append(num(Math.max(0, r.h() - 1)))
        .append("\" fill=\"").append(fill).append("\"><title>").append(esc(tip)).append("</title></rect>");
    double fontSize = level == 1 ? 12 : 10.5;
    int chars = (int) Math.floor((r.w() - 8) / (fontSize * 0.58));
    if (label && chars >= 4 && r.h() > fontSize + 4) {
      out.append("<text x=\"").append(num(r.x() + 4)).append("\" y=\"").append(num(r.y() + fontSize + 2))
          .append("\" font-size=\"").append(num(fontSize)).append("\"").append(level == 1 ? " font-weight=\"600\"" : "")
          .append(">").append(esc(ellipsis(name, chars))).append("</text>");
    }
  }

  private static void table(StringBuilder out, ReportModel model, Map<String, RunCluster> byId, Map<String, Integer> topIndex) {
    boolean trends = model.trends().isPresent();
    out.append("<section><h2>Clusters</h2>\n<div class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"Filter by label, keyword or example\" aria-label=\"Filter clusters\">")
        .append("<label><input id=\"leavesOnly\" type=\"checkbox\"> leaves only</label></div>\n");
    out.append("<table id=\"clusters\"><thead><tr><th>Cluster</th><th class=\"num\">Size</th><th>Keywords</th>");
    if (trends) {
      TrendSeries series = model.trends().get();
      out.append("<th>Trend <span class=\"muted\">(per ").append(esc(series.unit())).append(")</span></th>");
    }
    out.append("<th>Examples</th></tr></thead>\n<tbody>\n");
    Map<String, String> rootOf = new HashMap<>();
    for (RunCluster c : model.clusters()) {
      // A root not among the top-level clusters (a parent listed later) takes the first hue.
      String root = c.parent().map(rootOf::get).orElse(c.id());
      rootOf.put(c.id(), root);
      row(out, model, c, colour(topIndex.getOrDefault(root, 0), c.depth() + 1, c.redacted()), trends);
    }
    if (model.noise() > 0) {
      out.append("<tr id=\"row-noise\" class=\"d0 noise\" data-leaf=\"1\"><td><div class=\"lbl\"><span class=\"sw\" style=\"background:#d9d9d9\"></span>Noise</div>")
          .append("<div class=\"desc\">Items no cluster claimed; kept, never dropped.</div></td><td class=\"num\">");
      sizeCell(out, model.noise(), model.inputs());
      out.append("</td><td></td>");
      if (trends) {
        out.append("<td>");
        sparkline(out, model.trends().get(), RunAssignment.NOISE);
        out.append("</td>");
      }
      out.append("<td></td></tr>\n");
    }
    out.append("</tbody></table></section>\n");
  }

  private static void row(StringBuilder out, ReportModel model, RunCluster c, String colour, boolean trends) {
    out.append("<tr id=\"row-").append(esc(c.id())).append("\" class=\"d").append(Math.min(c.depth(), 4)).append("\" data-leaf=\"")
        .append(c.isLeaf() ? 1 : 0).append("\"><td style=\"padding-left:").append(8 + 18 * c.depth()).append("px\">");
    out.append("<div class=\"lbl\"><span class=\"sw\" style=\"background:").append(colour).append("\"></span>")
        .append(esc(displayLabel(c))).append(" <span class=\"id\">").append(esc(c.id())).append("</span>");
    if (c.redacted()) {
      out.append(" <span class=\"badge\">withheld</span>");
    }
    if (c.merged()) {
      out.append(" <span class=\"badge\">merged small clusters</span>");
    }
    if (c.labelSource().equals("offline-fallback")) {
      out.append(" <span class=\"badge\">offline label</span>");
    }
    out.append("</div><div class=\"desc\">").append(esc(c.description())).append("</div>");
    out.append("<div class=\"meta\">").append(c.users()).append(" users &middot; ").append(c.conversations()).append(" conversations");
    if (!c.isLeaf()) {
      out.append(" &middot; ").append(c.children().size()).append(" subclusters");
    }
    out.append("</div></td><td class=\"num\">");
    sizeCell(out, c.size(), model.inputs());
    out.append("</td><td>");
    for (String k : c.keywords()) {
      out.append("<span class=\"kw\">").append(esc(k)).append("</span>");
    }
    out.append("</td>");
    if (trends) {
      out.append("<td>");
      sparkline(out, model.trends().get(), c.id());
      out.append("</td>");
    }
    out.append("<td>");
    if (!c.examples().isEmpty()) {
      out.append("<details><summary>").append(c.examples().size()).append(c.examples().size() == 1 ? " example" : " examples").append("</summary><ul>");
      for (String e : c.examples()) {
        out.append("<li>").append(esc(ellipsis(e.replaceAll("\\s+", " ").trim(), 400))).append("</li>");
      }
      out.append("</ul></details>");
    }
    out.append("</td></tr>\n");
  }

  private static void sizeCell(StringBuilder out, long size, long total) {
    double share = total == 0 ? 0 : (double) size / total;
    out.append(String.format(Locale.ROOT, "%,d", size)).append("<div class=\"bar\"><span style=\"width:")
        .append(num(Math.max(1, share * 100))).append("%\"></span></div><div class=\"muted\">").append(pct(share)).append("</div>");
  }

  private static void sparkline(StringBuilder out, TrendSeries series, String id) {
    Trend trend = series.byCluster().get(id);
    if (trend == null) {
      return;
    }
    long[] counts = trend.counts();
    long max = 1;
    long sum = 0;
    for (long v : counts) {
      max = Math.max(max, v);
      sum += v;
    }
    double w = 96;
    double h = 22;
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      double x = counts.length == 1 ? w / 2 : 1 + i * (w - 2) / (counts.length - 1);
      double y = h - 2 - (double) counts[i] / max * (h - 4);
      points.append(i == 0 ? "" : " ").append(num(x)).append(',').append(num(y));
    }
    String first = WHEN.format(series.bucketStarts().get(0)).substring(0, 10);
    String last = WHEN.format(series.bucketStarts().get(series.bucketStarts().size() - 1)).substring(0, 10);
    out.append("<svg class=\"spark\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h)).append("\" width=\"96\" height=\"22\">")
        .append("<title>").append(esc(sum + " items, " + first + " to " + last + ", peak " + max + " per " + series.unit())).append("</title>")
        .append("<polyline fill=\"none\" stroke=\"#3569b8\" stroke-width=\"1.5\" points=\"").append(points).append("\"/></svg>");
  }

  private static void runSection(StringBuilder out, ReportModel model) {
    out.append("<section class=\"run\"><h2>Run</h2><div class=\"cols\"><table class=\"facts\"><tbody>\n");
    for (ReportModel.Fact f : model.facts()) {
      out.append("<tr><th>").append(esc(f.name())).append("</th><td>").append(esc(f.value())).append("</td></tr>\n");
    }
    out.append("</tbody></table>");
    if (!model.timings().isEmpty()) {
      long total = 0;
      out.append("<table class=\"facts\"><thead><tr><th>Stage</th><th class=\"num\">Time</th></tr></thead><tbody>\n");
      for (ReportModel.Timing t : model.timings()) {
        total += t.millis();
        out.append("<tr><th>").append(esc(t.stage())).append("</th><td class=\"num\">").append(esc(duration(t.millis())))
            .append(t.reused() ? " <span class=\"muted\">(reused)</span>" : "").append("</td></tr>\n");
      }
      out.append("<tr class=\"total\"><th>total</th><td class=\"num\">").append(esc(duration(total))).append("</td></tr>\n");
      out.append("</tbody></table>");
    }
    out.append("</div></section>\n");
  }

  private static String displayLabel(RunCluster c) {
    return c.label();
  }

  /** Top-level clusters get hues a golden angle apart; deeper levels are lighter tints of their root's hue. */
  static String colour(int hueIndex, int level, boolean redacted) {
    if (redacted) {
      return "#c8c8c8";
    }
    double hue = (hueIndex * 137.508 + 205) % 360;
    int lightness = Math.min(90, 58 + 11 * (level - 1));
    int saturation = Math.max(35, 62 - 6 * (level - 1));
    return String.format(Locale.ROOT, "hsl(%.0f,%d%%,%d%%)", hue, saturation, lightness);
  }

  static String esc(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        case ':' -> sb.append(text.startsWith("//", i + 1) ? "&#58;" : ":");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String ellipsis(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "\u2026";
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
  }

  private static final String CSS = """
      :root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#fafbfc;--accent:#3569b8}
      *{box-sizing:border-box}
      body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
      header h1{margin:0 0 4px;font-size:22px}
      .sub,.muted,.hint{color:var(--muted)} .hint{margin:0 0 8px;font-size:12.5px}
      h2{font-size:16px;margin:28px 0 8px}
      code{font-size:12.5px}
      .cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:18px}
      .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px}
      .card .v{font-size:20px;font-weight:650} .card .k{color:var(--muted);font-size:12px}
      svg.treemap{width:100%;height:auto;max-height:70vh;background:#fff;border:1px solid var(--line);border-radius:6px;display:block}
      svg.treemap rect{stroke:#fff;stroke-width:1.2;cursor:pointer} svg.treemap text{fill:#1d2330;pointer-events:none;font-family:inherit}
      svg.treemap g.tile:hover>rect{filter:brightness(0.93)}
      .tools{display:flex;gap:16px;align-items:center;margin-bottom:8px}
      #filter{width:340px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;font:inherit}
      table{border-collapse:collapse;width:100%;background:#fff}
      #clusters th,#clusters td{border-bottom:1px solid var(--line);padding:7px 8px;vertical-align:top;text-align:left}
      #clusters thead th{position:sticky;top:0;background:#f2f4f7;font-size:12.5px}
      #clusters tr.d0 .lbl{font-weight:650;font-size:15px} #clusters tr.d0{background:#fcfcfd}
      .lbl{font-weight:550} .id{color:var(--muted);font-weight:400;font-size:11.5px}
      .sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
      .desc{color:#344054;margin-top:2px;max-width:560px} .meta{color:var(--muted);font-size:12px;margin-top:2px}
      .num{text-align:right;white-space:nowrap;width:90px}
      .bar{height:5px;background:#eef1f5;border-radius:3px;margin:3px 0 2px}.bar span{display:block;height:5px;background:var(--accent);border-radius:3px}
      .kw{display:inline-block;background:#eef2f8;color:#243b63;border-radius:10px;padding:1px 8px;margin:0 4px 4px 0;font-size:12px}
      .badge{display:inline-block;background:#fff4e5;color:#8a4b00;border:1px solid #ffd8a8;border-radius:4px;padding:0 5px;font-size:11px;font-weight:500}
      details summary{cursor:pointer;color:var(--accent)} details ul{margin:6px 0 0;padding-left:18px;max-width:520px} details li{margin-bottom:4px}
      tr.hl td{background:#fff8db !important}
      .run .cols{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
      table.facts{width:auto;min-width:320px;border:1px solid var(--line)} table.facts th,table.facts td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;font-size:13px}
      table.facts th{font-weight:500;color:#344054} table.facts tr.total th,table.facts tr.total td{font-weight:650}
      footer{margin-top:32px;color:var(--muted);font-size:12px}
      """;

  private static final String SCRIPT = """
      (function(){
        function show(id){
          var row=document.getElementById('row-'+id); if(!row) return;
          document.querySelectorAll('tr.hl').forEach(function(r){r.classList.remove('hl');});
          row.style.display=''; row.classList.add('hl'); row.scrollIntoView({block:'center'});
          var d=row.querySelector('details'); if(d) d.open=true;
        }
        document.querySelectorAll('g.tile').forEach(function(t){
          t.addEventListener('click',function(e){e.stopPropagation(); show(t.getAttribute('data-id'));});
        });
        var filter=document.getElementById('filter'), leaves=document.getElementById('leavesOnly');
        function apply(){
          var q=filter.value.trim().toLowerCase(), only=leaves.checked;
          document.querySelectorAll('#clusters tbody tr').forEach(function(r){
            var ok=(!q || r.textContent.toLowerCase().indexOf(q)>=0) && (!only || r.getAttribute('data-leaf')==='1');
            r.style.display=ok?'':'none';
          });
        }
        filter.addEventListener('input',apply); leaves.addEventListener('change',apply);
      })();
      """;
}
