// Every label of the widget in English and Chinese. The Chinese terms follow the book's
// glossary (book/glossary.yml) and the Chinese chapters' wording.

export const LABELS = {
  en: {
    title: "Train a GAN in your browser",
    intro: "Algorithm 1 runs here, in your browser: the generator and discriminator are small MLPs trained with Adam. Nothing is sent anywhere.",
    dataset: "Data", ring: "ring of 8 Gaussians", grid: "5 × 5 grid of Gaussians", mixture_1d: "1-D mixture of two Gaussians",
    loss: "Generator loss", minimax: "minimax", non_saturating: "non-saturating", least_squares: "least squares",
    updates: "Updates", alternating: "alternating (Algorithm 1)", simultaneous: "simultaneous",
    dSteps: "k (discriminator steps per generator step)", dStepsSimultaneous: "k does not apply to simultaneous updates",
    dLearningRate: "discriminator learning rate", gLearningRate: "generator learning rate",
    batchSize: "minibatch size m", noiseDim: "noise dimension", seed: "seed",
    play: "Play", pause: "Pause", step: "One step", reset: "Reset", chapter3: "Chapter 3's settings",
    settings: "Settings", keys: "Keys (focus inside the widget): P play or pause, S one step, R reset.",
    samplesView: "Generated samples over the data",
    samplesDescription: (s) => `${s.step} generator steps: ${s.modes} of ${s.numModes} modes covered, high-quality fraction ${s.quality.toFixed(2)}. Grey points: data; orange: generated samples; the background shows the discriminator's output D(x); arrows: where the generator's loss pushes a few samples.`,
    curvesView: "Losses and measures during training",
    curvesDescription: (s) => `Discriminator loss ${s.dLoss}, generator loss ${s.gLoss}, generator gradient norm ${s.gradientNorm}, after ${s.step} generator steps.`,
    dataLegend: "data", fakeLegend: "generated", surfaceLegend: "D(x): 0 (fake) to 1 (real)",
    scoreLegend: "D's score (least squares): 0 (fake) to 1 (real), beyond drawn at the ends",
    arrowLegend: "−∇ of the generator's loss at a sample (length capped)",
    dLoss: "discriminator loss", gLoss: "generator loss", modes: "modes covered", quality: "high-quality fraction",
    gradientNorm: "generator gradient norm", stepCount: "generator steps", stepsPerSecond: "steps/s",
    lossPanel: "losses", measurePanel: "share of modes covered; high-quality fraction",
    paused: "paused", playing: "training",
  },
  zh: {
    title: "在浏览器中训练一个 GAN",
    intro: "算法 1 就在你的浏览器里运行：生成器和判别器是用 Adam 训练的小型 MLP。不向任何地方发送数据。",
    dataset: "数据", ring: "8 个高斯分布组成的圆环", grid: "5 × 5 网格状排列的高斯分布", mixture_1d: "两个高斯分布的一维混合",
    loss: "生成器的损失", minimax: "极小极大损失", non_saturating: "非饱和损失", least_squares: "最小二乘损失",
    updates: "更新方式", alternating: "交替更新（算法 1）", simultaneous: "同时更新",
    dSteps: "k（每次生成器更新前的判别器步数）", dStepsSimultaneous: "同时更新时 k 不适用",
    dLearningRate: "判别器学习率", gLearningRate: "生成器学习率",
    batchSize: "小批量大小 m", noiseDim: "噪声维数", seed: "种子",
    play: "开始", pause: "暂停", step: "走一步", reset: "重置", chapter3: "第 3 章的设置",
    settings: "设置", keys: "按键（焦点在组件内时）：P 开始或暂停，S 走一步，R 重置。",
    samplesView: "生成样本与数据",
    samplesDescription: (s) => `生成器已更新 ${s.step} 步：覆盖的模式数 ${s.modes}（共 ${s.numModes} 个），高质量比例 ${s.quality.toFixed(2)}。灰点：数据；橙点：生成样本；背景是判别器的输出 D(x)；箭头：生成器的损失把几个样本推向的方向。`,
    curvesView: "训练过程中的损失与指标",
    curvesDescription: (s) => `生成器更新 ${s.step} 步后：判别器损失 ${s.dLoss}，生成器损失 ${s.gLoss}，生成器梯度范数 ${s.gradientNorm}。`,
    dataLegend: "数据", fakeLegend: "生成样本", surfaceLegend: "D(x)：0（生成）到 1（真实）",
    scoreLegend: "判别器的分数（最小二乘）：0（生成）到 1（真实），超出部分画在两端",
    arrowLegend: "样本处生成器损失的负梯度 −∇（长度有上限）",
    dLoss: "判别器损失", gLoss: "生成器损失", modes: "覆盖的模式数", quality: "高质量比例",
    gradientNorm: "生成器梯度范数", stepCount: "生成器步数", stepsPerSecond: "步/秒",
    lossPanel: "损失", measurePanel: "覆盖的模式占比；高质量比例",
    paused: "已暂停", playing: "训练中",
  },
};

// The page's language: the element's data-lang, else the document's lang attribute.
export function labelsFor(element) {
  const language = (element.dataset.lang || document.documentElement.lang || "en").toLowerCase();
  return language.startsWith("zh") ? LABELS.zh : LABELS.en;
}
