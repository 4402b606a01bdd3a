"""The demo: the whole path through the data on the reference dataset, in one call.

file (reference dataset) → loader → embedded store → projection → analysis run →
interactive map + report + ``summary.json``. This is README command 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from maillage.graph import open_store
from maillage.loaders import Progress, load_reference


#: The map's title and the words of its size legend, by language.
_TEXTS = {"fr": ("Maillage des PTCE — référentiel des documents fondateurs", "nombre d'acteurs liés"),
          "en": ("Cooperation between PTCE — reference dataset of the founding documents", "number of actors linked")}


def run_demo(out_dir: str | Path, store_uri: str | None = None, progress: Progress | None = None,
             lang: str = "fr") -> dict[str, Any]:
    """Run the demo into ``out_dir`` and return the summary (also written as summary.json).

    Without ``store_uri`` the store is ``out_dir/maillage.db``, so the demo never touches the
    user's own default store. Running it again reloads the same sources: counts do not change.
    A store given with other sources keeps them: the counts then include them, and
    ``other_sources`` (in the summary) names them, persons' names masked as in the report.
    ``lang``: the language of the map, the report and the rejects files, ``"fr"`` (default) or
    ``"en"``.
    """
    from maillage.analytics.report import render_report
    from maillage.analytics.run import analyse, person_groups
    from maillage.api.maps import metric_label, render_map
    from maillage.geography import load_geography
    from maillage.graph.projection import project

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    uri = store_uri or str(out / "maillage.db")
    with open_store(uri) as store:
        reports = load_reference(store, rejects_dir=out / "rejets", progress=progress, lang=lang)
        (out / "chargement.json").write_text(
            json.dumps({"files": [r.as_dict() for r in reports]}, indent=2, ensure_ascii=False), encoding="utf-8")
        run = analyse(store, lens="cooperation", note="demo")
        metrics = store.metrics(run.id)
        sub = project(store, lens="all")  # persons are left out: privacy by default
        size = {aid: m.get("degree", 0.0) for aid, m in metrics.items()}
        title, linked = _TEXTS[lang]
        map_path = render_map(sub, out / "carte.html", title=title, lang=lang, size_by=size,
                              size_label=f"{metric_label('degree', lang).lower()} ({linked})",
                              redact=person_groups(store), sources=store.sources())
        report_path = render_report(store, run.id, out / "rapport.html", map_path=map_path, lang=lang)
        s = store.stats()
        reference = {r.source for r in reports}
        # summary.json sits beside the map and the report: a source's id, its file's name, may be a
        # person's (« entretien-Didier-Cognon.csv »), masked as there (`maillage sources` lists them)
        from maillage.api.exports import source_masker

        mask = source_masker(person_groups(store), "[personne]" if lang == "fr" else "[person]")
        others = [mask(src.id) for src in store.sources() if src.id not in reference]
    summary = {
        "actors": s["actors"],
        "relations": s["relations"],
        "poles": s["poles"],
        "sources": s["sources"],
        "persons": s["persons"],
        "other_sources": others,  # sources the store held besides the reference: in the counts too
        "run": run.id,
        "geography": load_geography().version,
        "outputs": {
            "map": str(map_path),
            "report": str(report_path),
            "load_report": str(out / "chargement.json"),
            "store": uri,
        },
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return summary
