// Generator steps the live widget (book/_static/gan_widget) needs, per seed, with chapter 3's
// settings and the non-saturating loss, to cover 7 of 8 modes of the ring and to reach the
// assignment's bar (7 modes and a high-quality fraction of at least 0.5). Counted in steps, so
// the numbers do not depend on the machine's load; benchmarks/widget_speed.py measures steps
// per second in headless Chromium, and the two give the page time. Same code, same V8 engine.
//   node benchmarks/widget_steps.mjs [seeds=0,1,2,3,4] [max_steps=4000] [every=100]
import { GanTrainer } from "../book/_static/gan_widget/trainer.js";

const [seedList = "0,1,2,3,4", maxSteps = "4000", every = "100"] = process.argv.slice(2);
const rows = [];
for (const seed of seedList.split(",").map(Number)) {
  const trainer = new GanTrainer({ seed });
  const row = { seed, stepsTo7Modes: null, stepsToBar: null, cpuSeconds: 0 };
  const start = process.cpuUsage();
  while (trainer.step < Number(maxSteps) && row.stepsToBar === null) {
    trainer.train(Number(every));
    const { modes, quality } = trainer.measure();
    if (modes >= 7 && row.stepsTo7Modes === null) row.stepsTo7Modes = trainer.step;
    if (modes >= 7 && quality >= 0.5) Object.assign(row, { stepsToBar: trainer.step, modes, quality });
  }
  const used = process.cpuUsage(start);
  row.cpuSeconds = (used.user + used.system) / 1e6;
  row.stepsPerCpuSecond = trainer.step / row.cpuSeconds;
  rows.push(row);
  console.log(JSON.stringify(row));
}
