"""Widget groups and live panels of the Train page. No Keras here: runs start in their own process."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from evalcore import charts
from evalcore.runs import FAILED, FINISHED, LOST, STOPPED, Run
from evalcore.runs import groups
from evalcore.runs.curves import run_curves
from evalcore.runs.rows import number
from evalcore.runs.diagnosis import store_error
from evalcore.training import ablation, executor, launch
from evalcore.training.executor import Request
from evalcore.training import strategies
from evalcore.training.config import OPTIMIZERS, TrainConfig
from evalcore.training.strategies import StrategySettings
from evalcore.training.strategies.augmentation import Augmentation
from evalcore.training.datasets import DATASETS, unavailable_strategies
from evalcore.training.strategies.schedule import planned_chart
from evalcore.errors import InputError
from evalcore.training.advice import config_warnings
from ui import evaluate_panels
from ui.cache import artifact_bytes, run_report
from ui.guard import section
from ui.store import run_store
from ui.text import plain

log = logging.getLogger("evalcore.ui")
RUN_KEY = "train_run"
PICK_KEY = "train_run_pick"
POLL_SECONDS = 1.0
STATUS_ICONS = {"queued": ":material/schedule:", "running": ":green[:material/play_circle:]",
                "finished": ":green[:material/check_circle:]", "stopped": ":orange[:material/stop_circle:]",
                "failed": ":red[:material/error:]", "lost": ":gray[:material/help:]"}  # Streamlit's own icon font
PLOTLY_CONFIG = evaluate_panels.PLOTLY_CONFIG


# ---------------------------------------------------------------- settings


def dataset_choice() -> tuple[str, str | None, str | None]:
    """The dataset; for 'Your CSV', the saved upload and its label column."""
    name = st.selectbox("Dataset", list(DATASETS), format_func=lambda k: DATASETS[k].title, key="train_dataset")
    st.caption(DATASETS[name].description)
    if name != "csv":
        return name, None, None
    upload = st.file_uploader("CSV with feature columns and a label column", type=["csv", "txt"],
                              key="train_csv")
    if upload is None:
        return name, None, None
    path, columns = _saved_upload(upload.file_id, upload.getvalue)
    label = st.selectbox("Label column", columns, index=len(columns) - 1 if columns else None,
                         key="train_label") if columns else None
    return name, path, label


def _saved_upload(file_id: str, read) -> tuple[str, list[str]]:
    """A training CSV saved once into the store's uploads/ (named by its content) and its column names; kept in
    the session by the upload's id, so a rerun neither hashes nor parses the file again."""
    key = f"train_upload_{file_id}"
    if key not in st.session_state:
        data = read()
        folder = launch.work_folder(run_store()) / "uploads"
        path = folder / f"{hashlib.sha1(data).hexdigest()[:16]}.csv"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(data)
        except OSError as exc:
            raise store_error(exc, folder) from exc
        try:
            columns = list(pd.read_csv(io.BytesIO(data), sep=None, engine="python", nrows=5).columns)
        except Exception:  # the full check in launch.check gives the user-facing message
            columns = []
        st.session_state[key] = (str(path), [str(c) for c in columns])
    return st.session_state[key]


def training_settings() -> dict:
    c1, c2 = st.columns(2)
    epochs = c1.number_input("Epochs", 1, 1000, 15, key="train_epochs")
    batch = c2.number_input("Batch size", 1, 4096, 32, key="train_batch")
    optimizer = c1.selectbox("Optimizer", OPTIMIZERS, key="train_optimizer")
    lr = c2.number_input("Learning rate", min_value=1e-6, max_value=10.0, value=1e-3, step=1e-4, format="%.4g",
                         key="train_lr")
    size = c1.number_input("Training rows (0 = all)", 0, 100_000, 0, step=50, key="train_size",
                           help="A small training set makes overfitting, and what regularisation does about it, "
                                "easy to see.")
    seed = c2.number_input("Seed", 0, 2 ** 31 - 1, 0, key="train_seed",
                           help="Same seed and settings, same run (keras.utils.set_random_seed).")
    stop_early = st.checkbox("Early stopping (keep the best epoch's weights)", key="train_early",
                             help="Stop when the validation loss has not improved for the patience's epochs, and "
                                  "evaluate the test set with the weights of the best epoch (marked on the charts).")
    patience = st.number_input("Patience (epochs)", 1, 1000, 5, key="train_patience") if stop_early else 0
    return dict(epochs=int(epochs), batch_size=int(batch), optimizer=optimizer, learning_rate=float(lr),
                train_size=int(size) or None, seed=int(seed), early_stopping=int(patience))


def _switch(label: str, key: str, blocked: str | None, help_text: str) -> bool:
    on = st.toggle(label, key=key, disabled=blocked is not None, help=help_text)
    if blocked:
        st.caption(blocked)
        return False
    return on


def strategy_controls(dataset: str) -> dict:
    """Every registered strategy: a switch each, with its settings under it when on (drawn from the metadata of
    its settings' fields)."""
    blocked = unavailable_strategies(dataset)
    images = DATASETS[dataset].kind == "image"
    st.markdown("**Strategies**")
    return {s.name: _strategy_form(s, blocked.get(s.name), images) for s in strategies.registry()}


def _strategy_form(strategy: strategies.Strategy, blocked: str | None, images: bool) -> StrategySettings:
    """The switch, then the settings' widgets in a bordered box: wide ones across it, the others in two columns;
    a setting shown only for some kinds is left at its default for the others."""
    if not _switch(strategy.label, strategy.key, blocked, strategy.help):
        return strategy.settings()
    values: dict = {}
    with st.container(border=True):
        columns = None
        placed = 0
        for f in strategy.form_fields():
            m = strategies.meta(f)
            if m.when and values.get("kind") not in m.when:
                continue
            if m.wide:
                place = st
            else:
                columns = columns or st.columns(2)
                place, placed = columns[placed % 2], placed + 1
            values[f.name] = _widget(place, f.default, m, images)
            for note in m.notes(values[f.name]) if m.notes else ():
                st.caption(plain(note))
    return strategy.settings(enabled=True, **values)


def _widget(place, default, m: strategies.Setting, images: bool):
    """One setting's widget, with the field's default (as the bounds' type: a whole-number slider gives ints)."""
    if m.widget == "checkbox":  # set by a one-click fix, the state holds its value: no second default
        value = False if m.key in st.session_state else default
        return place.checkbox(m.label, value, key=m.key, help=m.help, disabled=m.images_only and not images)
    if m.widget in ("select", "select_slider"):
        options = list(m.choices() if m.choices else m.options)
        titles = m.choices() if m.choices else m.titles
        if m.widget == "select_slider":
            return float(place.select_slider(m.label, options, default, key=m.key, help=m.help))
        return place.selectbox(m.label, options, index=options.index(default) if default in options else 0,
                               format_func=titles.get if titles else str, key=m.key, help=m.help)
    kind = type(m.low)
    widget = place.slider if m.widget == "slider" else place.number_input
    return kind(widget(m.label, m.low, m.high, kind(default), m.step, key=m.key, help=m.help))


def augmentation_preview(config: TrainConfig) -> None:
    """A grid of augmented training images (made by the same Keras layers, in a short-lived process)."""
    if not config.augmentation.enabled:
        return
    if st.button("Show augmented examples", key="aug_preview"):
        try:
            images = _augmented(config.dataset, json.dumps(config.to_dict()["augmentation"]), config.seed)
        except launch.ProcessFailed:
            log.exception("the augmentation preview failed")
            st.error("The augmented examples could not be drawn: the preview process failed (the details are in "
                     "the server's log). Training is not affected.", icon=":material/error:")
            return
        st.image(charts.image_grid(images), clamp=True,
                 caption="Each row: a training image, then seven random augmentations of it.")


@st.cache_data(max_entries=8, show_spinner="Drawing augmented examples (starts Keras, ~5 s)…")
def _augmented(dataset: str, augmentation: str, seed: int) -> np.ndarray:
    config = TrainConfig(dataset=dataset, seed=seed, augmentation=Augmentation(**json.loads(augmentation)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "preview.npz"
        launch.preview(config.to_json(), out, run_store())
        return np.load(out)["images"]


def settings_panel() -> TrainConfig:
    dataset, csv_path, label = dataset_choice()
    general = training_settings()
    chosen = strategy_controls(dataset)
    tensorboard = st.checkbox("Also write TensorBoard event files", False, key="train_tb",
                              help="Open them with: tensorboard --logdir .evalcore/runs")
    return TrainConfig(dataset=dataset, csv_path=csv_path, label_column=label, tensorboard=tensorboard,
                       **general, **chosen)


def setting_warnings(config: TrainConfig) -> None:
    """Settings that are valid but will not do what one expects (a flip on digits, a schedule that never acts),
    each with its fix; a one-click fix where there is one."""
    for warning in config_warnings(config):
        st.warning(plain(warning.message), icon=":material/warning:")
        fix = strategies.setting_named(warning.setting)
        if fix is not None and fix.fix_key:
            st.button(f"Switch off the {fix.name}", key=fix.fix_key,
                      on_click=lambda key=fix.key: st.session_state.update({key: False}))


def execution_panel() -> Request | None:
    """Where runs execute (``EVALCORE_EXECUTOR``); on a Ray cluster, what each run asks of it. None: locally."""
    if executor.kind() == executor.LOCAL:
        st.caption("Runs execute as worker processes on this machine (EVALCORE_EXECUTOR=local).")
        return None
    with st.expander("Ray cluster: resources per run", expanded=False):
        st.caption(plain(f"Runs execute as tasks on the Ray cluster at {executor.address()}, on whichever node "
                         "has the resources each run asks for; an ablation's runs execute in parallel."))
        c1, c2, c3 = st.columns(3)
        cpus = c1.number_input("CPUs per run", 0.5, 64.0, 1.0, 0.5, key="ray_cpus")
        gpus = c2.number_input("GPUs per run", 0.0, 8.0, 0.0, 1.0, key="ray_gpus",
                               help="A run that asks for a GPU waits for a node that has one free.")
        retries = c3.number_input("Retries if lost", 0, 5, 0, key="ray_retries",
                                  help="A run lost with its node (or its worker process) starts again as a new "
                                       "run, up to this many times; the lost run keeps its points.")
    return Request(cpus=float(cpus), gpus=float(gpus), retries=int(retries)).validate()


def start_button(config: TrainConfig, request: Request | None = None) -> None:
    """Train: check the settings (a clear message, nothing started, if they are wrong), then start the run."""
    seeds = int(st.number_input("Repeat with seeds", 1, 10, 1, key="train_seeds",
                                help="Train the same settings on this many seeds (the seed above, then the next "
                                     "ones): the runs form a group, shown as a mean curve with a 95% band, so a "
                                     "difference can be told from seed noise."))
    if not st.button("Train", type="primary", key="train_start", use_container_width=True):
        launch.prewarm(run_store())  # a worker with TensorFlow imported, waiting for this button
        return
    ids = launch.start_seeds(config, run_store(), seeds, request) if seeds > 1 else [
        launch.start(config, run_store(), request=request)]
    st.session_state[RUN_KEY] = ids[0]
    st.session_state[PICK_KEY] = ids[0]  # show the new run (the picker is drawn after this button)
    st.toast(plain(f"Run #{ids[0]} started." if seeds == 1 else
                   f"Runs #{ids[0]}–#{ids[-1]} queued: {seeds} seeds, one after another."))


def ablation_button(config: TrainConfig, request: Request | None = None) -> None:
    """Queue the baseline and each strategy alone (and all on) over several seeds; results on the Runs page."""
    with st.expander("Ablation study: which strategy helps on this data?"):
        c1, c2 = st.columns(2)
        seeds = c1.number_input("Seeds", 1, 10, 3, key="abl_seeds")
        include_all = c2.checkbox("Also all strategies on", True, key="abl_all")
        n = len(ablation.variants(config, include_all)) * int(seeds)
        how = ("one after another in one worker process" if request is None else
               "in parallel, as far as the Ray cluster has room")
        st.caption(plain(f"{n} runs of {config.epochs} epochs each, {how}, with the settings above as the base. "
                         "Each strategy uses its settings above, even if switched off."))
        for variant, variant_config in ablation.variants(config, include_all):
            for warning in config_warnings(variant_config):
                st.warning(plain(f"{variant}: {warning.message}"), icon=":material/warning:")
        if int(seeds) == 1:
            st.caption("With one seed there is no interval: the effect of a strategy cannot be told from seed "
                       "noise. Use 3 seeds or more.")
        if st.button("Run the ablation study", key="abl_start", use_container_width=True):
            group = ablation.start(config, run_store(), int(seeds), include_all, request)
            st.session_state["ablation_group"] = group
            st.success(f"Queued ablation {plain(group)}: follow it on the Runs page.", icon=":material/check_circle:")


# ---------------------------------------------------------------- runs


def _label(run: Run) -> str:
    """Stable text (the live status is shown under the picker: a selectbox does not redraw changed labels)."""
    return f"#{run.id} · {run.name}"


def run_picker() -> Run | None:
    """The run to show: the one just started, else the newest; any earlier run can be picked."""
    runs = run_store().runs(kind="train")
    if not runs:
        st.info("No training runs yet. Choose settings on the left and press Train.")
        return None
    ids = [r.id for r in runs]
    wanted = st.session_state.get(RUN_KEY)
    if wanted not in ids:
        wanted = ids[0]
    if st.session_state.get(PICK_KEY) not in ids:
        st.session_state.pop(PICK_KEY, None)
    chosen = st.selectbox("Run", ids, index=ids.index(wanted), format_func=lambda i: _label(runs[ids.index(i)]),
                          key=PICK_KEY)
    st.session_state[RUN_KEY] = chosen
    return runs[ids.index(chosen)]


def run_view(run: Run) -> None:
    """The run's status, Stop, and curves. While it is active they are polled; when it ends the whole page reruns,
    so the status and the results below are drawn from one reading of the store."""
    if run.active:
        st.fragment(_live, run_every=POLL_SECONDS)(run.id)
    else:
        _curves(run, run_store().series(run.id))


def _live(run_id: int) -> None:
    with section("refreshing the run"):
        store = run_store()
        run = store.run(run_id)
        if not run.active:
            st.rerun(scope="app")  # ended since the last tick: draw the results and stop polling
        _curves(run, store.series(run_id))


def _curves(run: Run, series) -> None:
    try:
        config = TrainConfig.from_dict(run.config)
    except InputError as exc:
        st.warning(plain(f"Run #{run.id}'s settings cannot be read ({exc}) Its curves are shown; fix or delete "
                         "it on the Runs page."), icon=":material/warning:")
        config = None
    curves = run_curves(series)
    head, stop = st.columns([4, 1])
    elapsed = f" · {run.duration:.0f} s" if run.duration is not None else ""
    total = curves.planned_epochs or (config.epochs if config else curves.epochs_done)
    strategies = ", ".join(config.strategies()) if config else "settings unreadable"
    where = f" · {plain(run.where)}" if run.where else ""
    head.markdown(f"**{STATUS_ICONS.get(run.status, '')} {plain(run.status.capitalize())}** · epoch "
                  f"{curves.epochs_done}/{total}{elapsed} · {plain(strategies or 'baseline')}{where}")
    if run.active:
        if run.stop_requested:
            stop.button("Stopping…", disabled=True, key=f"stop_{run.id}")
        elif stop.button("Stop", key=f"stop_{run.id}", use_container_width=True):
            launch.stop(run.id, run_store())
            st.toast(f"Stopping run #{run.id} after its current batch.")
        st.progress(min(1.0, curves.epochs_done / max(total, 1)))
        if not len(curves.epochs) and not len(curves.batch_x):
            st.caption("Waiting for the first points (the worker starts Keras, ~4 s)…")
    c1, c2 = st.columns(2)
    c1.plotly_chart(charts.training_figure(curves, "loss"), config=PLOTLY_CONFIG, key=f"loss_{run.id}")
    c2.plotly_chart(charts.training_figure(curves, "accuracy"), config=PLOTLY_CONFIG, key=f"acc_{run.id}")
    planned = None
    if config is not None:
        planned = planned_chart(config.schedule, config.learning_rate, config.epochs)
    st.plotly_chart(charts.learning_rate_figure(curves, planned), config=PLOTLY_CONFIG, key=f"lr_{run.id}")
    batch_seconds = f"{config.batch_log_seconds:g}" if config else "0.25"
    st.caption("Faint line: Keras' running mean of the training loss/accuracy within each epoch, logged at most "
               f"every {batch_seconds} s. Markers: end-of-epoch values. Star: best validation epoch.")


def seed_group(run: Run) -> None:
    """The run's seed group (runs of the same settings on other seeds): its mean validation curves with their
    95% t band, and its test accuracy as mean ± half-width; nothing for a run alone."""
    store = run_store()
    key = groups.settings_key(run.config)
    members = groups.distinct_seeds([r for r in store.runs(kind="train") if groups.settings_key(r.config) == key
                                     and r.status in (FINISHED, STOPPED)])
    if len(members) < 2:
        return
    st.subheader(f"Seed group: {len(members)} runs of these settings")
    curves = [run_curves(store.series(r.id)) for r in members]
    label = f"seeds {', '.join(str(r.config.get('seed', '?')) for r in sorted(members, key=lambda r: r.id))}"
    for column, metric in zip(st.columns(2), ("loss", "accuracy")):
        column.plotly_chart(charts.group_figure({label: groups.band(curves, metric)}, metric),
                            config=PLOTLY_CONFIG, key=f"seed_group_{metric}_{run.id}")
    accuracy = groups.mean_interval([number(r.summary.get("accuracy")) for r in members])
    st.caption(plain(f"Test accuracy across the seeds: {accuracy.text()} (mean ± half-width of the 95% t "
                     "interval). Compare groups on the Runs page (Group runs: same settings)."))


def run_results(run: Run) -> None:
    """What a run ended with: its status message, then the test-set evaluation and the predictions file, across
    the page's full width."""
    if run.status == FAILED:
        st.error(plain(f"Run #{run.id} failed: {run.error}"), icon=":material/error:")
    elif run.status == LOST:
        st.warning(plain(f"Run #{run.id} was lost: {run.error} Its logged epochs are kept above."),
                   icon=":material/help:")
    elif run.status == STOPPED:
        model = ("early stopping's restored weights" if "restored_epoch" in run.summary else
                 "the model as it was")
        st.info(f"Run #{run.id} was stopped after {plain(run.summary.get('epochs_done', '?'))} epoch(s); the test "
                f"set was evaluated with {model}.", icon=":material/stop_circle:")
    restored = run.summary.get("restored_epoch")
    if isinstance(restored, int) and not isinstance(restored, bool):
        done = run.summary.get("epochs_done", "?")
        st.info(plain(f"Early stopping: training ended after epoch {done} and the weights of epoch {restored} (the "
                      "best validation loss) were restored; the test set below was evaluated with them."),
                icon=":material/bookmark:")
    try:
        for warning in config_warnings(TrainConfig.from_dict(run.config)):
            if warning.setting == "schedule":
                st.warning(plain(warning.message), icon=":material/warning:")
    except InputError:
        pass
    store = run_store()
    if run.status not in (FINISHED, STOPPED) or "predictions" not in store.artifacts(run.id):
        return
    report = run_report(store, run.id)  # the worker's stored report (older runs: their predictions evaluated again)
    st.subheader("Test-set evaluation")
    s = run.summary
    fit = s.get("fit_seconds")
    fit = f" in {fit:.1f} s" if isinstance(fit, (int, float)) else ""
    st.caption(plain(f"{s.get('test_rows', '?')} test rows (the same fixed split for every run on this dataset) · "
                     f"trained on {s.get('train_rows', '?')} rows{fit}"))
    evaluate_panels.headline(report)
    matrix, per_class = st.tabs(["Confusion matrix", "Per class"])  # each needs the full width
    with matrix:
        evaluate_panels.confusion_panel(report)
    with per_class:
        evaluate_panels.per_class_table(report)
    seed_group(run)
    st.download_button("Download test predictions (CSV, opens in Evaluate)", lambda: artifact_bytes(store, run.id, "predictions"),
                       f"run-{run.id}-predictions.csv", "text/csv", key=f"dl_pred_{run.id}")

