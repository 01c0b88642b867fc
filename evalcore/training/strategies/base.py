"""The strategy contract, the settings' field metadata, and the registry every other part iterates.

A strategy is one object of a :class:`Strategy` subclass, registered once. It holds its settings (a frozen
dataclass whose fields carry :class:`Setting` metadata), its validation, its applicability to a dataset, its
texts, and its Keras contribution. The Keras hooks receive the ``keras`` module as an argument, so a strategy
module never imports Keras and the Streamlit process can import every strategy.

Example:
    >>> from evalcore.training.strategies import get
    >>> dropout = get("dropout")
    >>> dropout.short(dropout.settings(enabled=True, rate=0.3)), dropout.cell({"enabled": True, "rate": 0.3})
    ('dropout 0.3', '0.3')
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import Field, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from evalcore.errors import InputError

if TYPE_CHECKING:
    from evalcore.training.config import TrainConfig


@dataclass(frozen=True)
class Setting:
    """How one setting is named, shown and given on the command line (the metadata of its field).

    ``name`` is the setting's name in validation messages; ``label``, ``help`` and ``key`` are its widget's; the
    widget is a ``"slider"``, ``"number"``, ``"select"``, ``"select_slider"``, ``"checkbox"`` or None (no
    widget), bounded by ``low``/``high``/``step`` or chosen from ``options`` (shown as ``titles``, or the
    ``choices()`` offered now); ``wide`` widgets span the form, the others fill two columns; ``when`` shows it
    only for those values of the strategy's ``kind``; ``images_only`` disables it on tabular data; ``notes(value)``
    are captions under it; ``cli`` is its command-line flag (a bool flag flips the default); ``fix_key`` is the key
    of the page's one-click 'switch off' button when a warning names it.
    """

    name: str
    label: str = ""
    help: str | None = None
    key: str | None = None
    widget: str | None = None
    low: float | None = None
    high: float | None = None
    step: float | None = None
    options: tuple = ()
    titles: Mapping[str, str] | None = None
    choices: Callable[[], Mapping[str, str]] | None = None
    notes: Callable[[Any], list[str]] | None = None
    wide: bool = False
    when: tuple[str, ...] = ()
    images_only: bool = False
    cli: str | None = None
    cli_help: str | None = None
    fix_key: str | None = None  # a true/false setting a warning can switch off in one click: the button's key


def setting(default: Any, name: str, **meta: Any) -> Any:
    """A settings field with its :class:`Setting` metadata (``default`` is the seed's value)."""
    return field(default=default, metadata={"setting": Setting(name, **meta)})


def meta(f: Field) -> Setting:
    """The :class:`Setting` of a settings field (a bare name for a field declared without one)."""
    return f.metadata.get("setting") or Setting(f.name.replace("_", " "))


@dataclass(frozen=True)
class StrategySettings:
    """The settings of one strategy; every strategy can be switched on and off."""

    enabled: bool = False


class Problems:
    """Bad settings collected as (what was found, the fix), for one InputError naming all of them.

    >>> p = Problems()
    >>> p.need(False, "dropout rate", 1.0, "use a fraction")
    >>> p.items
    [('dropout rate is 1.0', 'dropout rate: use a fraction')]
    """

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def need(self, ok: bool, setting: str, found: Any, fix: str) -> None:
        if not ok:
            value = repr(found) if len(repr(found)) <= 40 else repr(found)[:39] + "…"
            self.items.append((f"{setting} is {value}", f"{setting}: {fix}"))

    def error(self) -> InputError | None:
        if not self.items:
            return None
        return InputError("Expected valid training settings, found " + "; ".join(f for f, _ in self.items)
                          + ". Fix: " + "; ".join(f for _, f in self.items) + ".")


def number(value: Any) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
        and abs(value) != float("inf")


def shown(value: Any) -> str:
    """A stored value for a table cell: numbers as %g, anything else as-is."""
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


class Strategy:
    """One training strategy. Subclasses set the class attributes and override the hooks they need."""

    name: ClassVar[str]                    # key in TrainConfig and in the stored JSON: 'dropout'
    order: ClassVar[int] = 100             # position on the page, CLI, table and ablation (smaller first)
    noun: ClassVar[str]                    # in messages and titles: 'dropout', 'L2'
    label: ClassVar[str]                   # the Train page's switch
    help: ClassVar[str]                    # the switch's help
    key: ClassVar[str]                     # the switch's Streamlit key
    settings: ClassVar[type[StrategySettings]]
    cli: ClassVar[str]                     # the flag that switches it on: '--dropout'
    cli_value: ClassVar[str | None] = None  # the setting that flag carries ('rate'), None for a plain switch
    cli_help: ClassVar[str] = ""
    form: ClassVar[tuple[str, ...] | None] = None  # the widgets' order, if not the fields'
    axis: ClassVar[str] = ""               # parallel-coordinates axis ('dropout rate'); default: the name
    axis_setting: ClassVar[str | None] = None  # the setting on that axis; None: 1 when on

    # ------------------------------------------------------------ texts
    def short(self, s: Any) -> str:
        """The strategy and its main setting, for run names and titles (it is on)."""
        return self.noun

    def cell(self, stored: Mapping[str, Any]) -> str:
        """Its main settings, from a stored run's settings group (it is on; odd values shown as-is)."""
        return "on"

    def text(self, stored: Mapping[str, Any]) -> str:
        """The runs table's cell: 'off' or :meth:`cell`."""
        return self.cell(stored) if stored.get("enabled") else "off"

    # ------------------------------------------------------------ validation and applicability
    def switches(self, s: Any, problems: Problems, enabled: bool) -> None:
        """Its true/false settings must be bools (checked whether it is on or off)."""
        for f in _bool_fields(type(s)):
            if (f.name == "enabled") == enabled:
                name = f"{self.noun} on/off" if f.name == "enabled" else meta(f).name
                problems.need(isinstance(getattr(s, f.name), bool), name, getattr(s, f.name), "use true or false")

    def check(self, s: Any, problems: Problems) -> None:
        """Add the problems of its settings (called only when it is on)."""

    def unavailable(self, dataset: str, kind: str) -> str | None:
        """Why it cannot apply to this dataset ('image' or 'tabular'), or None."""
        return None

    def ready(self, s: Any) -> None:
        """Raise an InputError if a run using it cannot start on this machine now (a missing weights file);
        called before a worker starts, only when it is on."""

    def warnings(self, s: Any, config: TrainConfig) -> list[tuple[str, str]]:
        """Valid settings that will not do what one expects: (the setting the fix changes, message)."""
        return []

    # ------------------------------------------------------------ Keras side (``keras`` is passed in)
    def input_layers(self, s: Any, config: TrainConfig, keras: Any) -> list[Any]:
        """Layers applied to the input images (training-time preprocessing)."""
        return []

    def image_base(self, s: Any, config: TrainConfig, keras: Any, x: Any) -> Any | None:
        """The image base applied to ``x`` instead of the fresh conv base, or None."""
        return None

    def kernel_regularizer(self, s: Any, keras: Any, conv: bool) -> Any | None:
        """A kernel regularizer for the dense layers (``conv`` False) or the conv base's layers (True)."""
        return None

    def after_hidden(self, s: Any, config: TrainConfig, keras: Any, x: Any) -> Any:
        """``x`` after the hidden dense layer, with its layers added."""
        return x

    def callbacks(self, s: Any, config: TrainConfig, keras: Any) -> list[Any]:
        """Keras callbacks for the fit."""
        return []

    # ------------------------------------------------------------ command line
    def form_fields(self) -> list[Field]:
        """The settings fields that have a widget, in the form's order."""
        by_name = {f.name: f for f in fields(self.settings) if meta(f).widget}
        return [by_name[n] for n in (self.form or by_name)]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Its flags: the switch (carrying ``cli_value`` if set) and one per setting with a ``cli`` flag."""
        dest = f"strategy__{self.name}"
        if self.cli_value is None:
            parser.add_argument(self.cli, action="store_true", dest=dest, help=self.cli_help)
        else:
            f = _field(self.settings, self.cli_value)
            choices = meta(f).options if isinstance(f.default, str) else ()  # a number's options are the page's
            parser.add_argument(self.cli, nargs="?", const=f.default, default=None, type=type(f.default),
                                choices=choices or None, metavar=None if choices else f.name.upper(), dest=dest,
                                help=f"{self.cli_help} ({f.default})")
        for f in fields(self.settings):
            m = meta(f)
            if m.cli is None:
                continue
            if isinstance(f.default, bool):
                parser.add_argument(m.cli, action="store_const", const=not f.default, default=None,
                                    dest=f"{dest}__{f.name}", help=m.cli_help)
            else:
                parser.add_argument(m.cli, type=type(f.default), default=None, dest=f"{dest}__{f.name}",
                                    metavar="N" if isinstance(f.default, int) else f.name.upper(), help=m.cli_help)

    def from_arguments(self, args: argparse.Namespace) -> StrategySettings:
        """Its settings from the parsed flags (the defaults where a flag is not given)."""
        dest = f"strategy__{self.name}"
        on = getattr(args, dest)
        values: dict[str, Any] = {"enabled": on is not None and on is not False}
        if self.cli_value is not None and on is not None:
            values[self.cli_value] = on
        for f in fields(self.settings):
            given = getattr(args, f"{dest}__{f.name}", None)
            if given is not None:
                values[f.name] = given
        return self.settings(**values)


def _field(settings: type[StrategySettings], name: str) -> Field:
    return next(f for f in fields(settings) if f.name == name)


_FIELDS: dict[type, tuple[Field, ...]] = {}


def _fields(settings: type) -> tuple[Field, ...]:
    """A settings class's fields, looked up once per class (the runs table validates every run's settings)."""
    if settings not in _FIELDS:
        _FIELDS[settings] = fields(settings)
    return _FIELDS[settings]


def _bool_fields(settings: type) -> tuple[Field, ...]:
    """The true/false fields of a settings class."""
    return tuple(f for f in _fields(settings) if isinstance(f.default, bool))


def field_names(settings: type) -> frozenset[str]:
    """The names of a settings class's fields."""
    return frozenset(f.name for f in _fields(settings))


# ---------------------------------------------------------------- the registry

_REGISTRY: dict[str, Strategy] = {}
S = TypeVar("S", bound=Strategy)


def register(strategy: S) -> S:
    """Add a strategy at its ``order`` (page, CLI, table, ablation; ties keep registration order); its name must
    be new."""
    if strategy.name in _REGISTRY:
        raise ValueError(f"a strategy named {strategy.name!r} is already registered")
    _REGISTRY[strategy.name] = strategy
    ordered = sorted(_REGISTRY.values(), key=lambda st: st.order)  # stable: ties stay in registration order
    _REGISTRY.clear()
    _REGISTRY.update((st.name, st) for st in ordered)
    return strategy


def unregister(name: str) -> None:
    """Remove a strategy (for tests that register a throwaway one)."""
    _REGISTRY.pop(name, None)


def registry() -> tuple[Strategy, ...]:
    """Every strategy, in order."""
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    """Every strategy's name, in order: the keys of TrainConfig's strategy groups."""
    return tuple(_REGISTRY)


def get(name: str) -> Strategy:
    return _REGISTRY[name]


def setting_named(field_name: str) -> Setting | None:
    """The metadata of a strategy setting by its field name (a warning's ``setting``), or None."""
    return next((meta(f) for s in registry() for f in fields(s.settings) if f.name == field_name), None)


def cli_flag(field_name: str) -> str | None:
    """The command-line flag of a strategy setting (a warning's fix names it), or None."""
    m = setting_named(field_name)
    return m.cli if m else None


def enabled_in(settings: Iterable[tuple[str, StrategySettings]]) -> list[tuple[Strategy, Any]]:
    """(strategy, settings) of the strategies switched on, in order."""
    values = dict(settings)
    return [(s, values[s.name]) for s in registry() if s.name in values and values[s.name].enabled]
