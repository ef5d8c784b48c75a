"""The module registry. Each domain app declares a `ModuleManifest` on its AppConfig (the
Decidim "component manifest" idea): what it adds to navigation, which permissions it defines,
its per-government settings, what it indexes for search, its open-data exports, its public
statistics and its demo seed. Core reads manifests; it never imports a domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.urls import get_script_prefix

from .verification.levels import Level


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazy translation
    url_name: str  # namespaced url name within the government urlconf
    backoffice: bool = False  # shown in the officials' menu instead of the public one
    permission: str = ""  # only shown when the user has it (backoffice entries)
    # A secondary public page of a module (its acts, its sessions): listed in the module's own
    # row of sections on the module's pages, not in the main bar, which keeps one entry a module.
    section: bool = False


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: Any
    default: Any
    kind: type = str
    help_text: Any = ""


@dataclass(frozen=True)
class PeriodicJob:
    """A background job a module wants run on a schedule: the scheduler (`minga worker`)
    enqueues ``task`` (dotted path to a django-tasks task taking no arguments) when ``every``
    has passed since its last run."""

    name: str  # unique, namespaced: "catalog.refresh_due_resources"
    task: str  # dotted path, e.g. "minga.catalog.tasks.refresh_due_resources"
    every: Any  # datetime.timedelta


@dataclass(frozen=True)
class VerificationAction:
    """An action of a module that only verified people may take (a support, a vote, a silla
    vacía request): the level it needs unless the process says otherwise, and the lowest level
    a process may set. Checked with ``core.verification.selectors.check_action``."""

    key: str  # namespaced: "participation.vote"
    label: Any  # a lazy translation, said as "to <label>": "vote", "support a proposal"
    default_level: Level = Level.CEDULA
    minimum_level: Level = Level.EMAIL


@dataclass(frozen=True)
class Followable:
    """Something of a module that citizens may follow (core/notifications): its followers get
    a notice when the module calls ``notifications.notify(target=...)``. Core reaches the rows
    through ``model``'s scoped manager and never imports the module."""

    kind: str  # namespaced and stable (stored with every follow): "catalog.dataset"
    model: str  # "app_label.ModelName"
    label: Any  # plural, for the notice preferences: "Datasets"
    title: Callable[[Any], str]  # obj -> its title
    path: Callable[[Any], str]  # obj -> government-relative path (core.tenancy.paths.government_path)
    # queryset -> the rows anyone may see; only those can be followed and notified about
    public: Callable[[Any], Any] = lambda queryset: queryset
    # (queryset, user) -> the rows this person may see besides the public ones (a proposal's
    # author sees it while in review, say); None: only public rows
    visible_to: Callable[[Any, Any], Any] | None = None
    description: Any = ""  # what the notices are about, for the preferences page


@dataclass(frozen=True)
class ModuleManifest:
    key: str
    label: Any
    description: Any = ""
    nav: tuple[NavEntry, ...] = ()
    # permission name -> minimum role: "viewer" (any official of the module), "editor", "admin"
    permissions: dict[str, str] = field(default_factory=dict)
    settings: tuple[SettingSpec, ...] = ()
    search: tuple[Any, ...] = ()  # core.search.registry.SearchRegistration objects
    # core.search.registry.SearchSource objects: records the module searches with its own
    # engine (too many for the portal-wide index), shown as a group of the global search
    search_sources: tuple[Any, ...] = ()
    # government -> [core.opendata.OpenDataTable]: tables the catalog publishes as datasets and
    # refreshes when the module calls core.opendata.tables_changed()
    opendata_tables: Callable[[Any], list[Any]] | None = None
    # Cross-module links without imports between domain apps (see LinkedRecord below):
    # kind ("budget.line") -> (government, keys) -> {key: LinkedRecord} for the records this
    # module owns, and kind of another module's record -> (government, key) -> [LinkedRecord]
    # of this module's records that point to it.
    link_resolvers: dict[str, Callable[[Any, list[str]], dict[str, Any]]] = field(default_factory=dict)
    backlinks: dict[str, Callable[[Any, str], list[Any]]] = field(default_factory=dict)
    # kind -> (government, text, limit) -> [LinkedRecord]: this module's records whose name or
    # key contains the text (all of them, newest first, for an empty text), so another module
    # can offer them to pick from.
    link_search: dict[str, Callable[[Any, str, int], list[Any]]] = field(default_factory=dict)
    # government -> [DirectoryUnit]: the public units of the government's organisation, so
    # another module can name the unit responsible for a record (the catalog's publishers)
    # and link to its page. One module provides it (institution); none means free text.
    unit_directory: Callable[[Any], list[Any]] | None = None
    # government -> [MapLayer]: public geometries this module lends to the geovisor's map and
    # OGC API – Features (the public works, for instance)
    map_layers: Callable[[Any], list[Any]] | None = None
    # (government, codes) -> {code: DpaArea}: the boundaries this module publishes for these
    # DPA codes, so another module can draw figures by territory on real areas (the geovisor's
    # area layers, for instance)
    dpa_areas: Callable[[Any, set[str]], dict[str, Any]] | None = None
    # government -> [DpaArea]: the territorial boundaries this module publishes, drawn as thin
    # lines on the fallback base map of every interactive map (core/ui/basemap.py)
    base_boundaries: Callable[[Any], list[Any]] | None = None
    # core.phases.features.PhaseFeature objects: what this module's phases can switch on or
    # off (propose, support, vote…), read by core.phases
    phase_features: tuple[Any, ...] = ()
    public_stats: Callable[[Any], dict[str, Any]] | None = None  # government -> {label: value}
    latest_updates: Callable[[Any, int], list[Any]] | None = None  # (government, limit) -> [Update]
    demo_seed: Callable[..., None] | None = None  # (government, *, now, stdout) -> None
    demo_large_seed: Callable[..., None] | None = None  # the same, for `minga demo --large`
    periodic: tuple[PeriodicJob, ...] = ()
    # what citizens may follow (core/notifications: follows, notices, digests)
    followables: tuple[Followable, ...] = ()
    # (*, now) -> int: repair what this module's jobs left half done when the process running
    # them died (their lease expired, see core/jobs/); called when `minga worker` starts and
    # every minute. Dotted path or callable.
    recover_jobs: Callable[..., int] | str | None = None
    # (government, start, end) -> [CalendarEntry]: this module's public dated entries that
    # other modules' calendars show beside their own (the council's sessions in the
    # participatory events calendar); start and end are aware datetimes, end may be None
    calendar_entries: Callable[[Any, Any, Any], list[Any]] | None = None
    # What citizens may comment on in this module (core/comments/): one CommentTarget each
    comment_targets: tuple[Any, ...] = ()
    can_be_disabled: bool = True
    # Actions that need a verified person (core/verification/): each process of the module
    # stores the level it asks, between the action's minimum and the strongest.
    actions: tuple[VerificationAction, ...] = ()

    def setting_defaults(self) -> dict[str, Any]:
        return {spec.key: spec.default for spec in self.settings}


@dataclass(frozen=True)
class PublicUpdate:
    """One entry of a government's "latest updates" list and Atom feed."""

    title: str
    url: str
    updated_at: Any
    summary: str = ""
    module: str = ""


@dataclass(frozen=True)
class CalendarEntry:
    """A dated public entry of one module as another module's calendar shows it (its page and
    its iCal feed): a council session in the participatory events calendar, say."""

    uid: str  # stable and globally unique, for iCal: "<uuid>@concejo.minga"
    title: str
    starts_at: Any  # aware datetime
    url: str  # government-relative path; calendar_entries() hands it out as a link
    module: str
    ends_at: Any = None  # aware datetime, or None when the end is not known
    place: str = ""
    description: str = ""
    category: str = ""  # what kind of entry, in the reader's language: "Sesión del concejo"
    updated_at: Any = None
    cancelled: bool = False


def calendar_entries(government, start, end=None) -> list[CalendarEntry]:
    """The entries the enabled modules lend to calendars, from ``start`` (to ``end``), in date
    order."""
    found: list[CalendarEntry] = []
    for manifest_ in enabled_manifests(government):
        if manifest_.calendar_entries is not None:
            found.extend(_as_link(entry) for entry in manifest_.calendar_entries(government, start, end))
    return sorted(found, key=lambda entry: (entry.starts_at, entry.title))


@dataclass(frozen=True)
class CommentTarget:
    """Something of a module that citizens may comment on with core's threads
    (core/comments/): a public work, a proposal, a result, an article of an ordinance. Core
    stores ``key`` and the object's id with each comment and asks the module, through these
    functions, what the object is, who may see it and whether commenting is open now."""

    key: str  # stable and namespaced: "works.project"
    module: str  # the module's key; comments of a switched-off module are not served
    label: Any  # a lazy translation naming the kind of object: "Public work"
    # (government, object_id, user) -> the object when this person may see it and its
    # comments (a published project, a proposal of an open process), else None (404)
    lookup: Callable[[Any, int, Any], Any]
    # (obj) -> government-relative path of the page that shows the thread
    url: Callable[[Any], str]
    # (government, ids) -> {id: (title, government-relative path)}: names the objects in the
    # moderation queue, including objects the public no longer sees
    describe: Callable[[Any, list[int]], dict[int, tuple[str, str]]]
    # (obj, user) -> "" while this person may comment now, else why not, in a sentence
    # shown instead of the form (a phase without comments, a verification missing)
    closed_reason: Callable[[Any, Any], str] | None = None
    alignment: bool = False  # comments take a position: in favour, neutral, against
    # (value, label) kinds a new comment may take ("comment", "observation"); () for none
    kinds: tuple[tuple[str, Any], ...] = ()
    # who moderates and answers officially: "<module>.moderate" when empty
    moderate_permission: str = ""
    max_length: int | None = None  # of a comment's text; the government's setting when None
    # A form class whose fields are added to the form of a new top-level comment (the photos
    # of a field observation), and (*, government, comment, obj, data, now) -> None, called in
    # the comment's transaction with its cleaned data; a ValidationError keyed by the form's
    # fields undoes the comment and shows on the form.
    extra_form: type | None = None
    on_created: Callable[..., None] | None = None
    # (government, object_id) -> None, called in the transaction of every change to which of
    # the object's comments the public reads (a comment, reply or official answer written; one
    # hidden, shown again or deleted), so a module can keep a count in step with the thread
    # (core.comments.selectors.shown_count)
    on_shown_changed: Callable[[Any, int], None] | None = None
    # (government, comments) -> {comment id: safe HTML} shown under a comment's text
    attachments: Callable[[Any, list[Any]], dict[int, str]] | None = None

    @property
    def permission(self) -> str:
        return self.moderate_permission or f"{self.module}.moderate"


def comment_targets(government) -> dict[str, CommentTarget]:
    """What citizens may comment on in this government's enabled modules, by key."""
    return {target.key: target for found in enabled_manifests(government) for target in found.comment_targets}


@dataclass(frozen=True)
class LinkedRecord:
    """A public record of one module as another module shows it: the chain budget line ->
    contracting process -> public work is drawn from these, so no domain app imports another.
    ``facts`` carries a few figures the other side may show (amounts as Decimal, status)."""

    kind: str  # "budget.line", "procurement.process", "works.project"
    key: str  # the stable public key of the record (line code with year, OCID, project slug)
    title: str
    # Resolvers give the government-relative path (core.tenancy.paths.government_path);
    # resolve_links() and find_backlinks() hand it out as a link for the current request.
    url: str
    module: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DirectoryUnit:
    """A unit of a government's organisation as other modules see it. Other modules store
    ``key`` (stable while the unit exists, even when it is renamed) next to a copy of the
    name, so their records still read well when the unit, or the whole module, is gone."""

    key: str
    name: str
    slug: str
    # Government-relative path of the unit's public page; directory_units() hands it out as
    # a link for the current request.
    url: str
    email: str = ""  # the unit's public contact e-mail
    module: str = ""


def directory_units(government) -> list[DirectoryUnit]:
    """The units of the government's organisation, in chart order, from the module that
    keeps them; [] when no enabled module does."""
    for found in enabled_manifests(government):
        if found.unit_directory is not None:
            return [_as_link(unit) if unit.url else unit for unit in found.unit_directory(government)]
    return []


def directory_unit_map(government) -> dict[str, DirectoryUnit]:
    return {unit.key: unit for unit in directory_units(government)}


@dataclass(frozen=True)
class MapLayer:
    """Public features a module lends to other modules' maps (geovisor, OGC API – Features)."""

    key: str  # stable and unique in the government: "works.projects"
    module: str
    title: str
    description: str
    # () -> GeoJSON Feature dicts in WGS 84 (lon, lat), each with an "id" and "properties"
    features: Callable[[], list[dict]]
    url: str = ""  # the page that lists these records
    updated_at: Any = None
    # The layer's data dictionary: property -> label, in the order pop-ups and tables show them.
    # When given, only these properties are shown (codes a label already says stay hidden);
    # values are expected in the page's language (a status's name, not its code).
    labels: dict[str, Any] = field(default_factory=dict)


def map_layers(government) -> list[MapLayer]:
    layers: list[MapLayer] = []
    for found in enabled_manifests(government):
        if found.map_layers is not None:
            layers.extend(found.map_layers(government))
    return layers


@dataclass(frozen=True)
class DpaArea:
    """The boundary of a territory (province, canton or parish) as some module publishes it."""

    code: str  # DPA code: 2, 4 or 6 digits
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon in WGS 84 (lon, lat)
    source: str = ""  # where the boundary comes from, for the map's caption (a layer's title)


def dpa_areas(government, codes) -> dict[str, DpaArea]:
    """The published boundaries of as many of these DPA codes as some enabled module has, from
    the module that has the most of them; {} when none does."""
    codes = {str(code) for code in codes if code}
    best: dict[str, DpaArea] = {}
    if not codes:
        return best
    for found in enabled_manifests(government):
        if found.dpa_areas is not None:
            areas = found.dpa_areas(government, codes)
            if len(areas) > len(best):
                best = areas
    return best


def base_boundaries(government) -> list[DpaArea]:
    """The boundaries the government's enabled modules publish for the base map."""
    found: list[DpaArea] = []
    for manifest_ in enabled_manifests(government):
        if manifest_.base_boundaries is not None:
            found.extend(manifest_.base_boundaries(government))
    return found


def resolve_links(government, kind: str, keys) -> dict[str, LinkedRecord]:
    """The records of ``kind`` for these keys that the owning module publishes; keys it does
    not know, and modules switched off for the government, are simply absent."""
    keys = [str(key) for key in keys if key]
    if not keys:
        return {}
    for found in enabled_manifests(government):
        resolver = found.link_resolvers.get(kind)
        if resolver is not None:
            return {key: _as_link(record) for key, record in resolver(government, keys).items()}
    return {}


def search_links(government, kind: str, text: str = "", limit: int = 20) -> list[LinkedRecord]:
    """Records of ``kind`` matching ``text``, from the module that owns the kind."""
    for found in enabled_manifests(government):
        finder = found.link_search.get(kind)
        if finder is not None:
            return [_as_link(record) for record in finder(government, text.strip(), limit)]
    return []


def merge_backlinks(existing: dict, more: dict) -> dict:
    """Backlink finders of a manifest with more added: where both answer for a kind (two parts
    of a module pointing at works, say), the finders' answers are joined, not replaced."""
    merged = dict(existing)
    for kind, finder in more.items():
        before = merged.get(kind)
        merged[kind] = finder if before is None else _joined(before, finder)
    return merged


def _joined(first, second):
    def find(government, key):
        return [*first(government, key), *second(government, key)]

    return find


def find_backlinks(government, kind: str, key: str) -> list[LinkedRecord]:
    """Records of every enabled module that point to the record ``kind``/``key``."""
    found_links: list[LinkedRecord] = []
    for found in enabled_manifests(government):
        finder = found.backlinks.get(kind)
        if finder is not None and key:
            found_links.extend(_as_link(record) for record in finder(government, str(key)))
    return found_links


def _as_link(record):
    """Inside a government's request the script prefix is that government's root (/g/<slug>/
    or / on its own host); outside a request the path stays government-relative."""
    return replace(record, url=get_script_prefix().rstrip("/") + record.url)


def manifests() -> list[ModuleManifest]:
    found = [getattr(config, "manifest", None) for config in apps.get_app_configs()]
    return [manifest for manifest in found if isinstance(manifest, ModuleManifest)]


def manifest(key: str) -> ModuleManifest | None:
    return next((m for m in manifests() if m.key == key), None)


def module_keys() -> list[str]:
    return [m.key for m in manifests()]


def enabled_manifests(government) -> list[ModuleManifest]:
    return [m for m in manifests() if government.module_enabled(m.key)]


def module_settings(government, key: str) -> dict[str, Any]:
    found = manifest(key)
    values = found.setting_defaults() if found else {}
    values.update(government.module_settings(key))
    return values
