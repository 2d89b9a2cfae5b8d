"""`qa`: one command for every job, a thin layer over qa.engine.Engine.

    qa ingest PATH [--report ID] [--title TITLE]   build or rebuild a report's index
    qa ask "fråga" [-k 5] [--report ID] [--json]    ask from the terminal
    qa serve [--host H] [--port P]                  build the default report if needed, then serve
    qa reports                                      list what is indexed
    qa prune --keep N                               delete old index versions
    qa eval [...]                                   run the evaluation set (see eval/runner.py)

Settings can be given as options here or as QA_* environment variables.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path

from index.build import PASSAGES_CHANGED
from index.stores import StoreUnavailable
from ingest import load_document
from ingest.errors import IngestError
from qa import messages
from qa.engine import Engine, NoIndex
from qa.retriever import MODES, UnknownReport
from qa.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Fråga rapporten: frågor till rapporter, svar med källa.")
    parser.add_argument("--index-dir", type=Path, help="katalog för rapporternas index (QA_INDEX_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="läs in en rapport (PDF, text eller Markdown) och bygg dess index")
    ingest.add_argument("path", type=Path)
    ingest.add_argument("--report", help="rapportens id (härleds annars ur titeln, t.ex. ett årtal)")
    ingest.add_argument("--title", help="rapportens titel (läses annars ur filen)")
    ingest.add_argument("--chunk-tokens", type=int)
    ingest.add_argument("--chunk-overlap", type=int)

    ask = commands.add_parser("ask", help="ställ en fråga")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5)
    ask.add_argument("--report")
    ask.add_argument("--mode", choices=MODES, default="hybrid")
    ask.add_argument("--json", action="store_true", help="skriv svaret som JSON")

    serve = commands.add_parser("serve", help="bygg standardrapporten om den saknas och starta webbtjänsten")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="antal serverprocesser bakom samma port (QA_WORKERS)")
    serve.add_argument("--no-build", action="store_true", help="bygg inget index vid start")

    commands.add_parser("reports", help="lista inlästa rapporter")

    prune = commands.add_parser("prune", help="ta bort gamla indexversioner")
    prune.add_argument("--keep", type=int, default=2)

    # Its options belong to eval/runner.py: `qa eval --help` lists them.
    commands.add_parser("eval", help="kör utvärderingsfrågorna", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "eval":
        parser.error(f"okända argument: {' '.join(rest)}")
    args.eval_args = rest
    overrides = {
        "index_dir": args.index_dir,
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
        "workers": getattr(args, "workers", None),
        "chunk_tokens": getattr(args, "chunk_tokens", None),
        "chunk_overlap": getattr(args, "chunk_overlap", None),
    }
    # pypdf warns about broken files on its own; our IngestError says it in Swedish, with what to do.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    settings = get_settings(**overrides)
    engine = Engine(settings, serving=args.command == "serve")
    try:
        return COMMANDS[args.command](engine, args)
    except (IngestError, StoreUnavailable) as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
    except NoIndex:
        print(messages.no_index(engine.retriever, settings.default_source).message, file=sys.stderr)
        return 3
    except UnknownReport as error:
        problem = messages.unknown_report(engine.retriever, error.args[0])
        print(problem.message, file=sys.stderr)
        return 3 if problem.unusable else 2


def cmd_ingest(engine: Engine, args: argparse.Namespace) -> int:
    def announce(changed: list[str]) -> None:
        if changed == [PASSAGES_CHANGED]:
            print("Samma fil och inställningar, men den här versionen läser filen till andra avsnitt: bygger om.",
                  flush=True)
        else:
            print(f"Inställningarna har ändrats sedan förra bygget ({'; '.join(changed)}): bygger om.", flush=True)

    result = engine.ingest(args.path, report_id=args.report, title=args.title, progress=True, on_rebuild=announce)
    for warning in result.warnings:
        print(f"Varning: {warning}", file=sys.stderr)
    if not result.built:
        print(f"Oförändrad: {result.title} ({result.report}) är redan inläst som {result.version}.")
        return 0
    took = ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
    print(f"Klar: {result.title} ({result.report}), {result.pages} sidor, {result.chunks} avsnitt, "
          f"version {result.version} [{took}]")
    return 0


def cmd_ask(engine: Engine, args: argparse.Namespace) -> int:
    answer = engine.ask(args.question, k=args.k, report=args.report, mode=args.mode)
    if args.json:
        print(json.dumps(asdict(answer), ensure_ascii=False, indent=2))
        return 0
    if not answer.answered:
        print(f"{answer.message}\n")
    for p in answer.passages:
        # The answering sentence(s) first, as on the web page, unless they are the whole passage.
        shows_more = p.highlight and len(p.highlight) < len(p.text.strip())
        lead = f"» {p.highlight}\n" if answer.answered and shows_more else ""
        print(f"[{p.rank}] {p.citation}\n{lead}{p.text}\n")
    return 0


def cmd_serve(engine: Engine, args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from qa.api import create_app

    settings = engine.settings
    if not args.no_build:
        # Build the default report when it is missing, or when its current version cannot be loaded
        # with these settings and was built from this same file. A report ingested under its id from
        # another (newer) file is never replaced by the bundled one: the warning below says what to run.
        default = load_document(settings.default_source, title=settings.default_title)
        built = engine.store.current_manifest(default.report_id)
        from_default = built is None or built.get("report", {}).get("sha256") == default.sha256
        if default.report_id not in engine.retriever.indexes and from_default:
            cmd_ingest(engine, argparse.Namespace(path=settings.default_source, report=None,
                                                  title=settings.default_title))
    for problem in engine.retriever.load_errors.values():
        print(f"Varning: {problem}", file=sys.stderr)
    if settings.workers == 1:
        uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port)
        return 0
    # Several processes share the port; each makes its app from QA_* variables, so pass every setting on.
    os.environ.update({f"QA_{name.upper()}": str(value) for name, value in settings.model_dump().items()
                       if value is not None})
    config = uvicorn.Config("qa.api:create_app", factory=True, host=settings.host, port=settings.port,
                            workers=settings.workers, timeout_worker_healthcheck=settings.worker_healthcheck_s)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


def cmd_reports(engine: Engine, args: argparse.Namespace) -> int:
    store = engine.store
    for report in store.reports():
        print(f"{report}\t{store.current(report)}\t({len(store.versions(report))} versioner)")
    return 0


def cmd_prune(engine: Engine, args: argparse.Namespace) -> int:
    if args.keep < 1:
        print("Fel: --keep måste vara minst 1 (den version som används sparas alltid).", file=sys.stderr)
        return 2
    for removed in engine.store.prune(args.keep):
        print(f"Borttagen: {removed}")
    return 0


def cmd_eval(engine: Engine, args: argparse.Namespace) -> int:
    from eval.runner import main as eval_main

    return eval_main(args.eval_args, engine)


COMMANDS = {
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "serve": cmd_serve,
    "reports": cmd_reports,
    "prune": cmd_prune,
    "eval": cmd_eval,
}

if __name__ == "__main__":
    sys.exit(main())
