"""scripts/student_run.py reads an executed notebook as a student would: each problem it must
report is planted in a small notebook, and a clean notebook passes."""
import nbformat
import pytest

import student_run


def executed_cell(source, outputs=(), seconds=None):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(output) for output in outputs]
    if seconds is not None:
        cell.metadata["execution"] = {"iopub.execute_input": "2026-12-08T10:00:00.000000Z",
                                      "shell.execute_reply": f"2026-12-08T10:{seconds // 60:02d}:{seconds % 60:02d}.000000Z"}
    return cell


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page"), *cells])


GLUE_CELL = 'glue("ch3_modes", modes)\nglue(f"ch3_fraction_{seed}", fraction)'


def test_a_clean_run_has_no_problems():
    page = notebook(executed_cell(GLUE_CELL, [], seconds=2),
                    executed_cell("gan.fit(x, verbose=1)", [stream("12/12 ━━━━━━━━ 1s 40ms/step - d_loss: 0.69\n")],
                                  seconds=95),
                    executed_cell("print(modes)", [stream("8\n")], seconds=1))
    assert student_run.output_problems(page, silent_limit=30) == []


@pytest.mark.parametrize("cell, expected", [
    (executed_cell("x = 1", [{"output_type": "error", "ename": "ValueError", "evalue": "bad",
                              "traceback": ["ValueError: bad"]}]), "error or traceback"),
    (executed_cell("run()", [stream("Traceback (most recent call last):\n  ...\n")]), "error or traceback"),
    (executed_cell(GLUE_CELL, [stream("ch3_modes = 8\n")]), "prints a glued value (ch3_modes ="),
    (executed_cell(GLUE_CELL, [stream("ch3_fraction_1 = 0.4\n")]), "prints a glued value (ch3_fraction_1 ="),
    (executed_cell("setup()", [stream("profile from GAN_BOOK_PROFILE: smoke\n")]), "GAN_BOOK_"),
    (executed_cell("gan.fit(x, verbose=0)", [], seconds=45), "silent for 45 s"),
])
def test_each_problem_a_student_would_meet_is_reported(cell, expected):
    page = notebook(executed_cell(GLUE_CELL, []), cell)
    problems = student_run.output_problems(page, silent_limit=30)
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("cell 2:"), problems


def test_progress_bars_of_keras_and_tqdm_count_as_progress_and_short_cells_need_none():
    tqdm_cell = executed_cell("for run in tqdm(runs): ...", [{"output_type": "stream", "name": "stderr",
                                                             "text": "seeds: 100%|██████| 5/5 [01:10<00:00, 14.0s/it]\n"}],
                              seconds=70)
    short_cell = executed_cell("gan.fit(x, verbose=0)", [], seconds=29)
    assert student_run.output_problems(notebook(tqdm_cell, short_cell), silent_limit=30) == []


def test_a_value_shown_on_purpose_with_another_name_is_not_bookkeeping():
    page = notebook(executed_cell(GLUE_CELL, []), executed_cell("print(f'modes = {modes}')", [stream("modes = 8\n")]))
    assert student_run.output_problems(page) == []
