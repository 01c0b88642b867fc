"""Widget groups of the Runs page: the filtered runs table, editing one run, comparing several."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore import charts
from evalcore.metrics.paired import disagreement
from evalcore.paired_files import classes_of, compare_files
from evalcore.predictions import Predictions
from evalcore.runs import LOST, RUNNING, Run
from evalcore.runs.compare import config_diff, runs_table, settings_and_results
from evalcore.training.strategies import names as strategy_names
from evalcore.runs import exchange
from evalcore.runs import groups
from evalcore.runs.curves import RunCurves, run_curves
from evalcore.runs.rows import number
from evalcore.training import ablation, launch
from evalcore.training.advice import config_warnings
from evalcore.training.config import TrainConfig
from evalcore.errors import InputError
from ui.text import plain, plain_table
from ui.evaluate_panels import PLOTLY_CONFIG, PREDICTION_TYPES
from ui.cache import predictions_of, run_predictions, upload_source
from ui.guard import section
from ui.store import run_store

TABLE_KEY = "runs_table"
CONFIRM_KEY = "runs_confirm_delete"


def runs_and_table() -> tuple[dict[int, Run], pd.DataFrame]:
    """Every run by id, and the runs table built from that one reading of the store."""
    store = run_store()
    runs = {r.id: r for r in store.runs()}
    return runs, runs_table(store, list(runs.values()))


def filters(table: pd.DataFrame) -> pd.DataFrame:
    """Text, status, dataset, strategy and tag filters over the runs table."""
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    text = c1.text_input("Search", placeholder="name, note or tag", key="runs_search")
    statuses = c2.multiselect("Status", sorted(table["status"].unique()), key="runs_status")
    datasets = c3.multiselect("Dataset", sorted(table["dataset"].astype(str).unique()), key="runs_dataset")
    uses = c4.multiselect("Strategy on", strategy_names(), key="runs_strategy")
    keep = pd.Series(True, index=table.index)
    if text:
        hay = (table["name"] + " " + table["note"] + " " + table["tags"]).str.lower()
        keep &= hay.str.contains(text.lower(), regex=False)
    if statuses:
        keep &= table["status"].isin(statuses)
    if datasets:
        keep &= table["dataset"].astype(str).isin(datasets)
    for strategy in uses:
        keep &= table[strategy] != "off"
    return table[keep]


def table_with_selection(table: pd.DataFrame) -> list[int]:
    """The runs table (click a header to sort); returns the ids of the selected rows. Runs with damaged stored
    fields are listed too, with the damage in a 'problems' column, so they can be fixed or deleted."""
    st.caption(f"{len(table):,} run(s). Select rows to compare them or to edit one. Best = lowest loss, highest "
               "accuracy over the epochs; last = the final epoch.")
    damaged = int((table["problems"] != "").sum())
    if damaged:
        st.warning(f"{damaged} run(s) have stored fields that could not be read (see the 'problems' column). "
                   "Select one to rename, fix its note or tags, or delete it.", icon=":material/warning:")
    else:
        table = table.drop(columns=["problems"])
    number = st.column_config.NumberColumn(format="%.4f")
    event = st.dataframe(
        table, hide_index=True, key=TABLE_KEY, on_select="rerun", selection_mode="multi-row",
        column_config={"best val acc": number, "last val acc": number, "best val loss": number,
                       "last val loss": number, "test acc": number,
                       "seconds": st.column_config.NumberColumn(format="%.0f"),
                       "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    rows = event.selection.rows if event is not None else []
    return [int(table.iloc[i]["id"]) for i in rows if i < len(table)]


def edit_run(run: Run) -> None:
    """Rename, tag, annotate or delete one run (deleting asks for confirmation)."""
    with st.expander(f"Edit run #{run.id}", expanded=True):
        if run.problems:
            st.warning(plain(f"Damaged fields: {'; '.join(run.problems)}. They are shown empty; Save writes only "
                             "the fields you change, Delete removes the run."), icon=":material/warning:")
        name = st.text_input("Name", run.name, key=f"edit_name_{run.id}")
        tags = st.text_input("Tags (comma-separated)", ", ".join(run.tags), key=f"edit_tags_{run.id}")
        note = st.text_area("Note", run.note, key=f"edit_note_{run.id}")
        c1, c2 = st.columns(2)
        if c1.button("Save", key=f"edit_save_{run.id}", type="primary"):
            run_store().edit(run.id, name=name if name != run.name else None,
                             tags=tags.split(",") if tags != ", ".join(run.tags) else None,
                             note=note if note != run.note else None)
            st.toast(f"Run #{run.id} saved.")
            st.rerun()
        if st.session_state.get(CONFIRM_KEY) == run.id:
            st.warning(f"Delete run #{run.id} ({plain(run.name)}) with all its points and files? This cannot be "
                       "undone.", icon=":material/warning:")
            d1, d2 = st.columns(2)
            if d1.button("Yes, delete it", key=f"edit_delete_yes_{run.id}", type="primary"):
                run_store().delete_run(run.id)
                st.session_state.pop(CONFIRM_KEY, None)
                st.toast(f"Run #{run.id} deleted.")
                st.rerun()
            if d2.button("Cancel", key=f"edit_delete_no_{run.id}"):
                st.session_state.pop(CONFIRM_KEY, None)
                st.rerun()
        elif c2.button("Delete…", key=f"edit_delete_{run.id}", disabled=run.active,
                       help="Stop the run first." if run.active else None):
            st.session_state[CONFIRM_KEY] = run.id
            st.rerun()
        if run.kind == "train" and run.status == LOST:
            st.caption(plain(f"Run #{run.id} was lost: {run.error or 'its worker ended without reporting'}"))
            if st.button("Retry as a new run", key=f"edit_retry_{run.id}",
                         help="Same settings (and uploaded data); this run and its points stay as they are."):
                new_id = launch.retry(run_store(), run.id)
                st.toast(f"Run #{new_id} started: a retry of run #{run.id}.")


def parallel_coordinates(runs: list[Run], table: pd.DataFrame) -> None:
    """Settings against the best and final validation metrics across the selected runs (training runs only)."""
    trained = [r for r in runs if r.kind == "train"]
    if len(trained) < 2:
        return
    frame = settings_and_results(trained, table)
    color = st.selectbox("Colour lines by", ["best val acc", "last val acc", "best val loss"], key="pc_color")
    st.plotly_chart(charts.parallel_coordinates_figure(frame, color), config=PLOTLY_CONFIG, key="pc_chart")
    st.caption("Drag along an axis to keep only the runs in that range. Settings that are the same in every "
               "selected run are left out; a strategy switched off counts as 0.")


def compare(runs: list[Run]) -> None:
    """Overlaid curves of the selected runs and their settings side by side, differences first."""
    st.subheader(f"Compare {len(runs)} run(s)")
    c2, c3, c4, c5 = st.columns([1, 1, 2, 1])
    per = c2.radio("Points", ["epoch", "batch"], horizontal=True, key="cmp_per",
                   help="Per batch: Keras' running mean within each epoch, training only.")
    split = "train" if per == "batch" else c3.radio("Split", ["validation", "train"], horizontal=True,
                                                     key="cmp_split")
    smooth = c4.radio("Smoothing", ["none", "ema", "moving average"], horizontal=True, key="cmp_smooth",
                      help="EMA is debiased (no pull toward zero at the start); raw points stay visible.")
    amount = c4.slider("Smoothing amount", 0.0, 0.95, 0.6, 0.05, key="cmp_amount") if smooth != "none" else 0.0
    log_y = c5.toggle("Log scale (loss)", key="cmp_log")
    store = run_store()
    curves = {f"#{r.id} {r.name}": run_curves(store.series(r.id)) for r in runs}
    differing = config_diff(runs, only_differences=True)
    by = _group_choice(runs, [k for k in differing.index if k != "seed" and not k.startswith("ablation")])
    if by is None:
        for column, metric in zip(st.columns(2), ("loss", "accuracy")):  # one chart per metric
            column.plotly_chart(charts.comparison_figure(curves, metric, split, per, smooth, amount,
                                                         log_y and metric == "loss"),
                                config=PLOTLY_CONFIG, key=f"cmp_chart_{metric}")
    else:
        _grouped_view(runs, curves, by, "train" if split == "train" else "validation")
    only = st.toggle("Only the settings that differ", value=True, key="cmp_only_diff")
    diff = differing if only else config_diff(runs)
    styled = diff.style.apply(lambda row: ["background-color: #fef3c7" if row["differs"] else "" for _ in row],
                              axis=1)
    st.dataframe(styled, key="cmp_config")


NO_GROUPING = "(no grouping: each run)"


def _group_choice(runs: list[Run], settings: list[str]) -> str | None:
    """How to group the selected runs: not at all, runs with the same settings (seeds pooled), or by a setting
    that differs among them; None for no grouping."""
    options = [NO_GROUPING, groups.SAME_SETTINGS, *settings]
    choice = st.selectbox("Group runs", options, key="cmp_group",
                          help="Runs whose settings differ only by their seed are one group: its curve is the "
                               "mean across the seeds with a 95% t band, its results mean ± half-width (n runs).")
    return None if choice == NO_GROUPING else choice


def _grouped_view(runs: list[Run], curves: dict[str, RunCurves], by: str, split: str) -> None:
    """Each group's mean curves with their bands (the raw runs on request), and its test results in a table."""
    found = groups.grouped(runs, by)
    raw = st.toggle("Show each run's curve", key="cmp_group_raw")
    by_run = {r.id: curves[f"#{r.id} {r.name}"] for r in runs}
    for column, metric in zip(st.columns(2), ("loss", "accuracy")):
        bands = {label: groups.band([by_run[r.id] for r in members], metric, split)
                 for label, members in found.items()}
        lines = {label: [(by_run[r.id].train if split == "train" else by_run[r.id].val).get(metric, [])
                         for r in members] for label, members in found.items()} if raw else None
        column.plotly_chart(charts.group_figure(bands, metric, split, lines), config=PLOTLY_CONFIG,
                            key=f"cmp_group_{metric}")
    rows = []
    for label, members in found.items():
        row = {"group": label, "runs": len(members)}
        for title, key in (("test accuracy", "accuracy"), ("test log loss", "log_loss"), ("CPU seconds",
                                                                                         "cpu_seconds")):
            row[title] = groups.mean_interval([number(r.summary.get(key)) for r in members]).text(
                1 if key == "cpu_seconds" else 4)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="cmp_group_table")
    st.caption("Mean ± half-width of the 95% t interval across the group's runs (n: runs with a value). The band "
               "is that interval epoch by epoch; a run that stopped early counts for its epochs only.")


def paired_runs(a: Run, b: Run) -> None:
    """Two selected runs' test-set predictions compared row by row (B against A)."""
    store = run_store()
    if not all("predictions" in store.artifacts(r.id) for r in (a, b)):
        return
    st.subheader(f"Test-set predictions: #{b.id} against #{a.id}")
    paired_panel(run_predictions(store, a.id)[0], run_predictions(store, b.id)[0], f"#{a.id}", f"#{b.id}",
                 key="pair_runs")


def paired_files() -> None:
    """Two uploaded prediction files of the same rows: any file the Evaluate page reads."""
    with st.expander("Compare two prediction files of the same rows"):
        c1, c2 = st.columns(2)
        up_a = c1.file_uploader("Model A", type=PREDICTION_TYPES, key="pair_file_a")
        up_b = c2.file_uploader("Model B", type=PREDICTION_TYPES, key="pair_file_b")
        if up_a is not None and up_b is not None:
            with section("comparing the two files"):
                paired_panel(*(predictions_of(upload_source(up))
                               for up in (up_a, up_b)), "A", "B", key="pair_up")


def paired_panel(a: Predictions, b: Predictions, name_a: str, name_b: str, key: str) -> None:
    classes = classes_of(a, b)
    positive = None
    if len(classes) > 2 and a.score is not None and b.score is not None:
        options = ["(the class where the models differ most)", *classes]
        choice = st.selectbox("Class for DeLong's ROC AUC test (one against the rest)", options, key=f"{key}_pos")
        positive = None if choice == options[0] else choice
    result = compare_files(a, b, positive=positive)
    table = pd.DataFrame([{"metric": d.metric, name_a: f"{d.a:.4f}", name_b: f"{d.b:.4f}",
                           f"{name_b} − {name_a}": f"{d.difference:+.4f}",
                           "95% interval": f"{d.low:+.4f} to {d.high:+.4f}", "interval method": d.method}
                          for d in result.differences]).set_index("metric")
    st.table(plain_table(table))  # a few rows, readable as text (and in the browser's page text)
    t = result.mcnemar
    st.markdown(plain(f"McNemar's test of equal accuracy ({t.method}): {t.a_only} rows only {name_a} gets "
                      f"right, {t.b_only} only {name_b}; p = {t.p_value:.4g}."))
    note = disagreement(result)
    if note:
        st.info(plain(note), icon=":material/info:")
    if result.delong is not None:
        d = result.delong
        st.markdown(plain(f"DeLong's test of equal ROC AUC ('{d.positive}' against the rest): AUC {d.auc_a:.4f} "
                          f"vs {d.auc_b:.4f}, difference {d.difference:+.4f} (SE {d.std_error:.4f}), "
                          f"z = {d.z:.2f}, p = {d.p_value:.4g}."))
    elif a.score is None or b.score is None:
        st.caption("Log loss and DeLong's test need probabilities or scores in both files.")
    st.caption(f"{result.n_rows:,} rows, paired: both models on the same rows. A p-value under 0.05 says the "
               "difference is unlikely to be chance on these rows; it says nothing about other data.")


def ablation_studies(runs: list[Run]) -> None:
    """The chosen ablation study: progress, each strategy's effect with its interval across seeds, the table."""
    found = ablation.groups(run_store(), runs)
    if not found:
        return
    st.subheader("Ablation studies")
    wanted = st.session_state.get("ablation_group")
    group = st.selectbox("Study", found, index=found.index(wanted) if wanted in found else 0, key="abl_pick")
    active = any(r.active for r in ablation.group_runs(run_store(), group, runs))
    st.fragment(_ablation_view, run_every=2.0 if active else None)(group, active)


def _ablation_view(group: str, was_active: bool) -> None:
    with section("showing the ablation study"):
        store = run_store()
        runs = ablation.group_runs(store, group)  # re-read: this part refreshes on its own while the study runs
        active = [r for r in runs if r.active]
        if was_active and not active:
            st.rerun(scope="app")
        table = ablation.effects(store, group, runs=runs)
        done, planned = int(table["runs done"].sum()), len(runs)
        running = [r for r in runs if r.status == RUNNING]
        now = f" · running: {plain(running[0].name)}" if running else (" · starting" if active else "")
        c1, c2 = st.columns([4, 1])
        c1.markdown(f"**{done} of {planned} runs done**" + now)
        if active and c2.button("Cancel", key=f"abl_cancel_{group}"):
            ablation.cancel(store, group)
            st.toast("Cancelling: the running run stops after its batch; queued runs will not start.")
        if active:
            st.progress(done / max(planned, 1))
        for warning in _study_warnings(runs):
            st.warning(plain(warning), icon=":material/warning:")
        if done:
            c1, c2 = st.columns(2)
            c1.plotly_chart(charts.ablation_figure(table, "test accuracy"), config=PLOTLY_CONFIG,
                            key=f"abl_acc_{group}")
            c2.plotly_chart(charts.ablation_figure(table, "test log loss"), config=PLOTLY_CONFIG,
                            key=f"abl_loss_{group}")
            st.dataframe(_readable(table), hide_index=True, key=f"abl_table_{group}")
            one_seed = table["runs done"].max() < 2
            st.caption("Effect = variant minus baseline on the same seed, averaged over seeds; the interval is a "
                       "95% t interval across seeds" + (" (it needs two seeds or more: run the study with more "
                                                        "seeds)" if one_seed else "") + ". The verdict (green helps, red hurts, grey can't tell) "
                       "compares the Holm-adjusted p-value with 5%, so testing several strategies at once does not "
                       "raise the chance of a false call.")


def _study_warnings(runs: list[Run]) -> list[str]:
    """Settings of the study that made a variant do nothing or hurt for a known reason (one run per variant)."""
    out: dict[str, None] = {}
    for r in runs:
        try:
            config = TrainConfig.from_dict(r.config)
        except InputError:
            continue
        for w in config_warnings(config):
            out.setdefault(f"{ablation.membership(r)[1]}: {w.message}", None)
    return list(out)


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """The effects table with numbers as text: a missing value (one seed, a variant not done) reads '—'. The raw
    p-values and spreads stay out (the Holm-adjusted p is what the verdict uses)."""
    out = table.drop(columns=[c for c in table.columns if c.endswith((" p", " sd", " pairs"))])
    for column in out.columns:
        if column in ("variant", "runs done", "runs planned", "active") or column.endswith("verdict"):
            continue
        if column in ("CPU seconds", "peak memory (MB)"):
            out[column] = ["—" if pd.isna(v) else f"{v:,.1f}" for v in out[column]]
            continue
        signed = "effect" in column or column.endswith(("low", "high"))
        out[column] = [("—" if pd.isna(v) else f"{v:+.4f}" if signed else f"{v:.4f}") for v in out[column]]
    return out


def export_selected(runs: list[Run]) -> None:
    """Downloads of the selected runs: JSON (everything, imports back), a runs CSV and a points CSV, each built
    only when its button is clicked (every point of every selected run is read for them)."""
    store = run_store()
    ids = [r.id for r in runs]
    c1, c2, c3 = st.columns(3)
    c1.download_button(f"Export {len(ids)} run(s) as JSON", lambda: exchange.export_json(store, ids), "runs.json",
                       "application/json", key="exp_json", use_container_width=True)
    c2.download_button("Runs CSV (settings, summary)", lambda: exchange.export_runs_csv(store, ids), "runs.csv",
                       "text/csv", key="exp_runs_csv", use_container_width=True)
    c3.download_button("Points CSV (every logged value)", lambda: exchange.export_points_csv(store, ids),
                       "points.csv", "text/csv", key="exp_points_csv", use_container_width=True)


def import_runs() -> None:
    with st.expander("Import runs (a JSON export)"):
        upload = st.file_uploader("runs.json", type=["json"], key="imp_file")
        if upload is not None and st.button("Import", key="imp_go"):
            ids = exchange.import_runs(run_store(), upload.getvalue())
            st.session_state.pop(TABLE_KEY, None)
            st.success(f"Imported {len(ids)} run(s) as #{ids[0]}–#{ids[-1]}." if ids else "No runs in the file.",
                       icon=":material/check_circle:")
