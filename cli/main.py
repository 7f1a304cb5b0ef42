"""`stockport-geo`: fetch sources, build the store, serve the API, print profiles and maps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.settings import BuildSettings
from geo.build.pipeline import STEPS, build_store
from geo.errors import GeoError, InvalidParameterError, NoNetworkError
from geo.query.profiles import area_profile, find_area, method_label
from geo.sources.fetch import fetch_source, is_downloadable
from geo.sources.manifest import load_manifest
from geo.store import check_store, load_store
from geo.vocabulary import ACCESSIBLE_GREENSPACE_FUNCTIONS, GREENSPACE_FUNCTIONS
from maps.format import format_value, missing

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="One Stockport Local geo service (Stockport, E08000007).",
)
console = Console()
errors = Console(stderr=True)

MirrorOpt = Annotated[
    Path | None,
    typer.Option("--mirror", help="Folder holding the source files (env STOCKPORT_GEO_MIRROR)."),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="GeoPackage store (env STOCKPORT_GEO_STORE; default var/stockport.gpkg)."
    ),
]
CacheOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache", help="Fetch cache folder (env STOCKPORT_GEO_CACHE; default var/cache)."
    ),
]


def _settings(**overrides: object) -> BuildSettings:
    base = BuildSettings()
    return base.model_copy(update={k: v for k, v in overrides.items() if v is not None})


@contextmanager
def _failures() -> Iterator[None]:
    """Turn domain errors into one red line and exit code 1 (no traceback for users)."""
    try:
        yield
    except GeoError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc


@app.command()
def fetch(
    cache: CacheOpt = None,
    only: Annotated[list[str] | None, typer.Option(help="Source ids to fetch.")] = None,
) -> None:
    """Download the official datasets into the cache folder (needs internet)."""
    settings = _settings(cache=cache)
    manifest = load_manifest()
    unknown = sorted(set(only or []) - set(manifest))
    if unknown:
        errors.print(
            f"[bold red]error:[/] no source {unknown[0]!r} in the manifest; "
            "`stockport-geo sources` lists them",
            highlight=False,
        )
        raise typer.Exit(2)
    failed = 0
    for source in manifest.values():
        if only and source.id not in only:
            continue
        if not is_downloadable(source):
            console.print(f"[yellow]skip[/] {source.id}: fetch by hand from {source.url}")
            continue
        with Progress(
            TextColumn(source.id), BarColumn(), TimeElapsedColumn(), console=console
        ) as bar:
            task = bar.add_task(source.id, total=None)

            def advance(done: int, total: int | None, task: TaskID = task) -> None:
                bar.update(task, completed=done, total=total)

            try:
                record = fetch_source(source, settings.cache, on_bytes=advance)
            except NoNetworkError as exc:  # the rest would fail the same way: stop now
                errors.print(f"[bold red]error:[/] {exc}", highlight=False)
                raise typer.Exit(1) from None
            except GeoError as exc:
                failed += 1
                errors.print(f"[red]failed[/] {exc}", highlight=False)
                continue
        console.print(f"[green]ok[/] {source.id}: {record.bytes:,} bytes sha256 {record.sha256}")
    if failed:
        raise typer.Exit(1)


@app.command()
def build(
    mirror: MirrorOpt = None,
    store: StoreOpt = None,
    cache: CacheOpt = None,
    neighbourhoods: Annotated[
        Path | None,
        typer.Option(help="Neighbourhood grouping CSV of wards (ward_code) or LSOAs (lsoa_code)."),
    ] = None,
    accessible: Annotated[
        str | None,
        typer.Option(
            "--accessible-functions",
            help=(
                "OS Open Greenspace functions counted as accessible green space, separated by "
                "';' (default: " + "; ".join(ACCESSIBLE_GREENSPACE_FUNCTIONS) + ")."
            ),
        ),
    ] = None,
) -> None:
    """Validate the sources, compute every indicator and write the store atomically."""
    settings = _settings(mirror=mirror, store=store, cache=cache, neighbourhoods=neighbourhoods)
    functions = parse_functions(accessible)
    with (
        _failures(),
        Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
        ) as bar,
    ):
        task = bar.add_task("build", total=len(STEPS))

        def progress(name: str, number: int, count: int) -> None:
            bar.update(task, description=f"build: {name}", completed=number - 1, total=count)

        report = build_store(
            store_path=settings.store,
            mirror=settings.mirror,
            cache=settings.cache,
            grouping_path=settings.neighbourhoods,
            progress=progress,
            accessible_functions=functions,
        )
        bar.update(task, completed=len(STEPS), description="build: done")
    for message in report.messages:
        console.print(f"[yellow]note[/] {message}")
    for step, seconds in report.timings.items():
        console.print(f"  {step:<16} {seconds:6.2f} s")
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    console.print(
        f"[green]store written[/] {report.store_path} in {report.total_seconds:.2f} s ({counts})"
    )


def parse_functions(text: str | None) -> tuple[str, ...]:
    """The accessible green space functions from `--accessible-functions`; exit 2 naming an
    unknown function."""
    if text is None:
        return ACCESSIBLE_GREENSPACE_FUNCTIONS
    chosen = tuple(part.strip() for part in text.split(";") if part.strip())
    unknown = [f for f in chosen if f not in GREENSPACE_FUNCTIONS]
    if unknown or not chosen:
        console.print(
            f"[red]error[/] unknown green space function(s) {unknown or [text]}; choose from: "
            + "; ".join(GREENSPACE_FUNCTIONS)
        )
        raise typer.Exit(2)
    return chosen


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes (each on its own SO_REUSEPORT socket); 2 uses both cores."
        ),
    ] = 2,
) -> None:
    """Serve the API and maps over the built store with uvicorn."""
    from functools import partial

    from api.app import create_app
    from api.settings import ApiSettings
    from cli.serve import ServeError, serve_workers

    settings = _settings(store=store)
    with _failures():
        check_store(settings.store)  # fail here, clearly (and cheaply), rather than in a worker
    factory = partial(create_app, ApiSettings(store=settings.store.resolve()))
    console.print(f"serving {settings.store} on http://{host}:{port} with {workers} worker(s)")
    try:
        serve_workers(factory, host=host, port=port, workers=workers)
    except ServeError as exc:
        console.print(f"[red]error[/] {exc}")
        raise typer.Exit(1) from None


@app.command()
def up(
    mirror: MirrorOpt = None,
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Build the store, then serve it: the main job in one command."""
    build(mirror=mirror, store=store, cache=None, neighbourhoods=None)
    serve(store=store, host=host, port=port, workers=2)


@app.command()
def sources(mirror: MirrorOpt = None, cache: CacheOpt = None) -> None:
    """List every dataset with its licence, vintage, real/stand-in and whether it is present."""
    settings = _settings(mirror=mirror, cache=cache)
    table = Table("id", "kind", "licence", "vintage", "real / stand-in", "present", "title")
    for s in load_manifest().values():
        where = [
            name
            for name, folder in (("cache", settings.cache), ("mirror", settings.mirror))
            if folder is not None and (Path(folder) / s.file).is_file()
        ]
        table.add_row(
            s.id,
            s.kind,
            s.licence,
            s.vintage,
            "[red]SYNTHETIC stand-in[/]" if s.standin else "real",
            ", ".join(where)
            if where
            else ("optional, not present" if s.optional else "[red]missing[/]"),
            s.title,
        )
    console.print(table)


@app.command()
def profile(
    area: Annotated[str, typer.Argument(help="Area code, neighbourhood id or name, e.g. Edgeley.")],
    store: StoreOpt = None,
    area_type: Annotated[
        str | None,
        typer.Option(help="lsoa, ward, neighbourhood or borough (when a name is ambiguous)."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(help="Apportionment for wards and neighbourhoods: best_fit or area_weighted."),
    ] = None,
) -> None:
    """Print an area's profile: the plain-English summary first, then a table by theme that
    fits the terminal (80 columns when piped)."""
    from maps.summary import summary_sentences

    settings = _settings(store=store)
    with _failures():
        loaded = load_store(settings.store)
        ref = find_area(loaded, area, area_type=area_type)
        rows = area_profile(loaded, ref.area_type, ref.code, method=method)
    used = rows["method"].iloc[0] if len(rows) else ""
    console.print(f"[bold]{ref.name}[/] ({ref.area_type} {ref.code})", highlight=False)
    console.print(" ".join(summary_sentences(ref.name, ref.area_type, rows)), highlight=False)
    console.print()
    table = Table(
        "indicator",
        "value",
        "Stockport",
        "England",
        "rank",
        caption=f"method: {method_label(used)}; STAND-IN = built from synthetic data; "
        "rank 1 = most concern",
        show_lines=False,
    )
    # The indicator takes what the numbers leave; numbers wrap inside their own column.
    table.expand = True
    table.columns[0].overflow, table.columns[0].ratio, table.columns[0].min_width = "fold", 3, 24
    for column in table.columns[1:]:
        column.ratio, column.justify, column.overflow = 1, "right", "fold"
    theme = None
    for row in rows.to_dict("records"):
        if row["theme"] != theme:
            theme = row["theme"]
            table.add_section()
            table.add_row(f"[bold]{str(theme).capitalize()}[/]", "", "", "", "")
        unit = str(row["unit"])
        rank = "" if missing(row["rank"]) else f"{row['rank']:.0f} of {row['rank_of']:.0f}"
        flag = " [red]STAND-IN[/]" if row["standin"] else ""
        table.add_row(
            f"{row['title']}{flag}",
            format_value(
                row["value"], unit, estimated=bool(row["estimated"]), area_type=ref.area_type
            ),
            format_value(row["borough_value"], unit, area_type="borough"),
            format_value(row["england_value"], unit, area_type="borough"),
            rank,
        )
    console.print(table)
    console.print("[dim]Sources and licences:[/]")
    for line in loaded.attribution_lines(loaded.sources_of(rows)):
        console.print(f"[dim]{line}[/]", highlight=False)


@app.command("map")
def map_page(
    area_type: Annotated[str | None, typer.Argument(help="lsoa, ward or neighbourhood.")] = None,
    indicator: Annotated[
        str | None, typer.Argument(help="Indicator id, e.g. imd2025_score.")
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path(
        "map.html"
    ),
    profile_of: Annotated[
        str | None,
        typer.Option(
            "--profile", help="Write the one-page profile of this area (code or name) instead."
        ),
    ] = None,
    index: Annotated[bool, typer.Option("--index", help="Write the index page instead.")] = False,
    base: Annotated[str, typer.Option(help="Base map: osm (needs internet) or none.")] = "osm",
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Also print the page to this PDF (A4, headless Chromium)."),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Write a choropleth, a profile or the index as a self-contained HTML file (offline),
    and with --pdf print it as a PDF (a ward or neighbourhood profile fits two A4 pages)."""
    from maps.choropleth import choropleth_page
    from maps.index_page import index_page
    from maps.profile_page import profile_page

    settings = _settings(store=store)
    with _failures():
        if base not in ("osm", "none"):
            msg = f"--base must be osm or none; got {base!r}"
            raise InvalidParameterError(msg)
        loaded = load_store(settings.store)
        if index:
            html = index_page(loaded)
        elif profile_of:
            ref = find_area(loaded, profile_of)
            html = profile_page(loaded, ref.area_type, ref.code, assets="inline", base=base)  # type: ignore[arg-type]
        elif area_type and indicator:
            html = choropleth_page(loaded, area_type, indicator, assets="inline", base=base)  # type: ignore[arg-type]
        else:
            msg = "give AREA_TYPE and INDICATOR, or --profile AREA, or --index"
            raise InvalidParameterError(msg)
    output.write_text(html, encoding="utf-8")
    console.print(f"[green]wrote[/] {output} ({len(html.encode()) / 1e6:.2f} MB)")
    if pdf is not None:
        from cli.pdf import write_pdf

        size = write_pdf(html, pdf)
        console.print(f"[green]wrote[/] {pdf} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    app()
