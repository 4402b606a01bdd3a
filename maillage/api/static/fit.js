/* Maillage — a vis-network map kept whole in its canvas, with names a reader can read. Shared by
 * the static maps (maps.py inlines this file) and the explorer (served as /static/fit.js).
 *
 * maillageFit(network, nodes) → { fit(done), refit() }; ``nodes``: the vis.DataSet of the actors.
 *
 * - The whole map in view: vis-network fits the view before it has placed the names (a name's box
 *   starts at x = 0 until drawn), and a resized window only rescales the view; so fit() fits again
 *   after each drawing until the view holds still, and again after each resize while the reader has
 *   not zoomed nor dragged the view (refit() resumes that).
 * - Names: vis-network hides a name drawn under scaling.label.drawThreshold − 1 pixels (maps.py's
 *   NAME_SCALING: never a 5-pixel name). At the zoom that shows the whole map, the largest actors
 *   (dot size, then number of actors tied) whose names that zoom hides get theirs drawn READABLE_PX
 *   high, up to PROMINENT of them, each skipped if its name would overlap a name already drawn; the
 *   others appear when zooming in. PROMINENT is 40: on a small map every name with room is drawn
 *   (Haute-Garonne's 47 actors: 30 names, against 15 with a cap of 15), on a large one the overlap
 *   check stops well before it.
 */
var maillageFit = (function () {
  "use strict";
  var PROMINENT = 40, READABLE_PX = 12, CHAR_EM = 0.58, LINE_EM = 1.25, GAP = 4;

  return function (network, nodes) {
    var following = true, base = {}, chosen = {};

    function shown(n, px) { return px >= n.options.scaling.label.drawThreshold - 1; }

    /** The screen box of an actor's dot and name, its name ``px`` high wrapped at ``wrap`` pixels. */
    function box(id, px, wrap, scale) {
      var n = network.body.nodes[id], c = network.canvasToDOM({ x: n.x, y: n.y }), r = n.options.size * scale;
      var text = String(n.options.label).length * px * CHAR_EM, w = Math.min(text, wrap) / 2;
      var lines = Math.max(1, Math.ceil(text / wrap));
      return [c.x - Math.max(w, r) - GAP, c.y - r - GAP, c.x + Math.max(w, r) + GAP, c.y + r + 3 + lines * px * LINE_EM + GAP];
    }

    function overlaps(a, kept) {
      return kept.some(function (b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; });
    }

    /** Which hidden names to draw readable at ``scale`` (see the head of this file). */
    function choose(scale) {
      var kept = [], hidden = [];
      chosen = {};
      network.body.nodeIndices.forEach(function (id) {
        var n = network.body.nodes[id];
        if (!(id in base)) base[id] = { size: n.options.font.size, wrap: n.options.widthConstraint.maximum };
        if (!n.options.label) return;
        var px = base[id].size * scale;
        if (shown(n, px)) kept.push(box(id, px, base[id].wrap * scale, scale));
        else hidden.push({ id: id, size: n.options.size, tied: network.getConnectedNodes(id).length });
      });
      hidden.sort(function (a, b) { return b.size - a.size || b.tied - a.tied || (String(a.id) < String(b.id) ? -1 : 1); });
      for (var i = 0, count = 0; i < hidden.length && count < PROMINENT; i++) {
        var id = hidden[i].id, b = box(id, READABLE_PX, base[id].wrap * READABLE_PX / base[id].size, scale);
        if (overlaps(b, kept)) continue;
        kept.push(b);
        chosen[id] = true;
        count++;
      }
    }

    /** The chosen names READABLE_PX high at ``scale``, the others back to their own size; whether
     * a name changed. */
    function size(scale) {
      var updates = [];
      Object.keys(base).forEach(function (id) {
        var n = network.body.nodes[id], want = chosen[id] ? READABLE_PX / scale : base[id].size;
        if (n && Math.abs(n.options.font.size - want) > 0.01 * want) {
          updates.push({ id: n.id, font: { size: want }, widthConstraint: { maximum: base[id].wrap * want / base[id].size } });
        }
      });
      if (updates.length) nodes.update(updates);
      return updates.length > 0;
    }

    function settle(rounds, pick, done) {
      var scale = network.getScale(), at = network.getViewPosition();
      network.fit();
      var now = network.getViewPosition(), s = network.getScale();
      if (pick) choose(s);
      var changed = size(s);
      if (rounds > 1 && (changed || Math.abs(s - scale) > 1e-3 * scale ||
                         Math.abs(now.x - at.x) + Math.abs(now.y - at.y) > 0.5 / scale)) {
        network.once("afterDrawing", function () { settle(rounds - 1, false, done); });
      } else if (done) {
        done();
      }
    }

    function fit(done) { settle(10, true, done); }
    network.on("resize", function () {  // vis-network rescales the view after this event, then draws
      if (following) network.once("afterDrawing", function () { fit(); });
    });
    network.on("zoom", function () { following = false; });
    network.on("dragStart", function (params) { if (!params.nodes.length) following = false; });
    return { fit: fit, refit: function () { following = true; fit(); } };
  };
})();
