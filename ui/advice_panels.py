"""The Train page's Advice for a finished run: what its curves say, what should help, and "Test this advice"
with its verdict over paired seeds."""

from __future__ import annotations

import math

import streamlit as st

from evalcore import charts
from evalcore.advice import curve_runs, learning_curve
from evalcore.advice import trial as trials
from evalcore.advice.findings import Finding
from evalcore.advice.run_advice import advice_for
from evalcore.advice.verdict import HELPS, HURTS
from evalcore.runs import FINISHED, STOPPED, Run
from evalcore.training import ablation
from evalcore.training.executor import Request
from ui.evaluate_panels import PLOTLY_CONFIG
from ui.guard import section
from ui.store import run_store
from ui.text import plain

VERDICT_ICONS = {HELPS: ":green[:material/check_circle:]", HURTS: ":red[:material/cancel:]"}
UNSURE_ICON = ":grey[:material/help:]"


def advice_panel(run: Run, request: Request | None = None) -> None:
    """Findings with their evidence, the prescriptions, the test button and every test of this run's advice (a
    finished or stopped run; nothing for the others)."""
    if run.status not in (FINISHED, STOPPED):
        return
    store = run_store()
    advice = advice_for(store, run.id)
    st.subheader("Advice")
    if not len(advice.curves.epochs):
        st.info("No epoch was logged for this run, so there are no curves to read.", icon=":material/info:")
    elif not advice.findings:
        st.success("Nothing in the curves or the test set calls for a change: no overfitting, no underfitting, "
                   "the learning rate looks right and training had settled.", icon=":material/check_circle:")
    for finding in advice.findings:
        _finding(finding)
    if advice.prescriptions:
        _test_form(run, advice.prescriptions, request)
    runs = store.runs(kind="train")
    for t in trials.trials(store, run.id, runs):
        active = any(r.active for r in ablation.group_runs(store, t.group, runs))
        st.fragment(_trial_view, run_every=2.0 if active else None)(t, active, request)
    _more_data(run, runs, request)


def _more_data(run: Run, runs: list[Run], request: Request | None) -> None:
    """Would more data help? The button that queues the learning curve, and each curve drawn for this run."""
    st.markdown("**Would more data help?**")
    rows = run.summary.get("train_rows")
    if not isinstance(rows, int) or rows < 40:
        st.caption("A learning curve needs a run that trained on 40 rows or more.")
        return
    sizes = learning_curve.sizes(rows)
    c1, c2 = st.columns([3, 1])
    seeds = int(c2.number_input("Seeds per size", 2, 5, 2, key=f"lc_seeds_{run.id}"))
    c1.caption(plain(f"Trains these settings on {', '.join(f'{n:,}' for n in sizes)} rows, {seeds} seeds each "
                     f"({len(sizes) * seeds} runs), fits a power law to the test error and predicts it for "
                     f"{2 * rows:,} rows."))
    if c1.button("Run the learning curve", key=f"lc_start_{run.id}"):
        curve_runs.start_curve(run_store(), run.id, seeds, request)
        st.rerun()
    store = run_store()
    for group in curve_runs.curves_for(store, run.id, runs):
        active = any(r.active for r in ablation.group_runs(store, group, runs))
        st.fragment(_curve_view, run_every=2.0 if active else None)(group, active, rows)


def _curve_view(group: str, was_active: bool, rows: int) -> None:
    with section("showing the learning curve"):
        runs = ablation.group_runs(run_store(), group)
        active = [r for r in runs if r.active]
        if was_active and not active:
            st.rerun(scope="app")
        errors = curve_runs.errors_by_size(runs)
        done = sum(len(v) for v in errors.values())
        st.caption(plain(f"Learning curve: {done} of {len(runs)} runs done"))
        if len(errors) < 3:
            return
        prediction = learning_curve.predict(errors, 2 * rows)
        law = learning_curve.fit(list(errors), [sum(v) / len(v) for v in errors.values()])
        st.plotly_chart(charts.learning_curve_figure(errors, law, prediction), config=PLOTLY_CONFIG,
                        key=f"lc_chart_{group}")
        helps = prediction.gain_low > 0
        st.markdown(plain(
            f"Twice the rows ({prediction.rows:,}): test error {prediction.error:.4f} predicted (95% interval "
            f"{prediction.low:.4f} to {prediction.high:.4f}), against {prediction.measured_error:.4f} measured at "
            f"{prediction.measured_rows:,}: a gain of {prediction.gain:+.4f} in accuracy ({prediction.gain_low:+.4f} "
            f"to {prediction.gain_high:+.4f}). ") + ("**More data should help.**" if helps else
                                                      "**More data may not help much.**"))
        st.caption("The interval resamples each size's seeds and the fit's residuals; it trusts the power law's "
                   "shape beyond the sizes measured. Augmentation and transfer learning are other ways of getting "
                   "more data: draw the curve of a run with them on to compare.")


def _finding(finding: Finding) -> None:
    st.markdown(f"**{plain(finding.kind.capitalize())}**: {plain(finding.evidence)}.")


def _test_form(run: Run, prescriptions, request: Request | None) -> None:
    titles = [p.title for p in prescriptions]
    c1, c2 = st.columns([3, 1])
    title = c1.selectbox("Prescription", titles, key=f"rx_{run.id}",
                         format_func=lambda t: f"{t}  (for: {next(p.finding for p in prescriptions if p.title == t)})")
    seeds = c2.number_input("Paired seeds", 2, 10, 3, key=f"rx_seeds_{run.id}")
    chosen = prescriptions[titles.index(title)]
    st.caption(plain(f"Why: {chosen.reason}. The test runs these settings and the change on the same {int(seeds)} "
                     f"seeds ({2 * int(seeds)} runs), then compares them seed by seed."))
    if st.button("Test this advice", key=f"rx_test_{run.id}", type="primary"):
        group = trials.start_trial(run_store(), run.id, chosen, int(seeds), request)
        st.toast(plain(f"Queued advice test {group}: {2 * int(seeds)} runs."))
        st.rerun()


def _trial_view(t: trials.Trial, was_active: bool, request: Request | None) -> None:
    with section("showing the advice test"):
        store = run_store()
        runs = ablation.group_runs(store, t.group)
        active = [r for r in runs if r.active]
        if was_active and not active:
            st.rerun(scope="app")
        done = sum("accuracy" in r.summary for r in runs)
        what = "Confirmation" if t.confirms else "Test"
        st.markdown(f"**{what} of '{plain(t.prescription)}'** · {done} of {len(runs)} runs done")
        if active:
            st.progress(done / max(len(runs), 1))
        table = trials.effects_table(store, t, runs)
        row = trials.effect_row(store, t, table=table)
        if row is None:
            return
        for metric, unit in (("test accuracy", "accuracy"), ("test log loss", "log loss")):
            st.markdown(_verdict_markdown(row, metric, unit))
        cost = _cost(table)
        if cost:
            st.caption(plain(cost))
        if not active and trials.can_confirm(store, t):
            _planner(store, t, row, request)


def _verdict_line(row, metric: str, unit: str) -> str:
    n = int(row[f"{metric} pairs"])
    effect, low, high = row[f"{metric} effect"], row[f"{metric} low"], row[f"{metric} high"]
    if not math.isfinite(low):
        return f"{unit}: {effect:+.4f} over {n} seed(s), no interval yet"
    p = row[f"{metric} p (Holm)"]
    if not math.isfinite(p):  # every seed moved by the same amount, with fewer than three seeds
        return (f"{unit}: {effect:+.4f} on each of the {n} paired seeds (the same move on every seed: too few "
                "seeds to tell it from chance; three or more decide)")
    return f"{unit}: {effect:+.4f} (95% interval {low:+.4f} to {high:+.4f}, {n} paired seeds, Holm p = {p:.3g})"


def _verdict_markdown(row, metric: str, unit: str) -> str:
    verdict = str(row[f"{metric} verdict"])
    icon = VERDICT_ICONS.get(verdict, UNSURE_ICON)
    return f"{icon} **{plain(verdict)}** · {plain(_verdict_line(row, metric, unit))}"


def _cost(table) -> str:
    """The change's CPU time and peak memory against the current settings', per run (mean over seeds)."""
    rows = {r["variant"]: r for _, r in table.iterrows()}
    base, change = rows.get("baseline"), next((r for v, r in rows.items() if v != "baseline"), None)
    if base is None or change is None or not base["CPU seconds"] > 0:
        return ""
    return (f"Cost per run: {change['CPU seconds']:.1f} CPU s against {base['CPU seconds']:.1f} "
            f"({change['CPU seconds'] / base['CPU seconds']:.2f}x), peak memory {change['peak memory (MB)']:,.0f} "
            f"MB against {base['peak memory (MB)']:,.0f} MB.")


def _planner(store, t: trials.Trial, row, request: Request | None) -> None:
    """Seeds a confirmation needs, from this test's spread; offered as a button when the test could not tell."""
    metric = "test accuracy"
    if row[f"{metric} verdict"] in (HELPS, HURTS):
        return
    seen = abs(row[f"{metric} effect"]) if math.isfinite(row[f"{metric} effect"]) else 0.0
    target = max(seen, trials.MIN_EFFECT[metric])
    sd = row[f"{metric} sd"]
    if not math.isfinite(sd):
        return
    if sd == 0:
        st.caption("The change moved test accuracy by the same amount on every seed, so more seeds would say "
                   "the same: on this test set it makes no difference to accuracy.")
        return
    plan = trials.planned_seeds(sd, target, int(row[f"{metric} pairs"]))
    if plan is None:
        st.caption(plain(f"An accuracy effect of {target:.3f} is too small for this run's seed-to-seed spread: "
                         "over 50 seeds would be needed. The change makes no difference worth testing."))
        return
    needed, _ = plan
    st.caption(plain(f"With this spread, {needed} new paired seeds find an accuracy effect of {target:.3f} 80% of "
                     "the time. They are a confirmation with its own verdict: adding seeds to this test until "
                     "it says yes would raise the chance of a false call above 5%."))
    if st.button(f"Confirm on {needed} new seeds", key=f"rx_more_{t.group}"):
        trials.add_seeds(store, t, needed, request)
        st.rerun(scope="app")
