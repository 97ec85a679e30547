/**
 * What each Lab view says to a class: two or three plain sentences, and the formula the view displays as MathML
 * (rendered natively by the browser; static markup written here, never built from input).
 */
import type { LabViewName } from './lesson-link';

export type Caption = { title: string; sentences: string[]; maths: string };

const m = (body: string) => `<math display="block">${body}</math>`;

export const CAPTIONS: Record<LabViewName, Caption> = {
  pipeline: {
    title: 'Pipeline',
    sentences: [
      'The prompt is cut into tokens, and the text encoder turns each token into a list of numbers the model can read.',
      'The denoising loop starts from pure noise and, step by step, removes the noise the model thinks it sees, steered by the text.',
      'The decoder turns the result into pictures, and the video encoder packs them into a clip.',
    ],
    maths: m('<mi>x</mi><mo>=</mo><mi>D</mi><mo>(</mo><msub><mi>x</mi><mn>0</mn></msub><mo>)</mo><mo>,</mo><mspace width="1em"/><msub><mi>x</mi><mn>0</mn></msub><mo>≈</mo><msub><mi>f</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>T</mi></msub><mo>,</mo><mi>E</mi><mo>(</mo><mtext>tokens</mtext><mo>)</mo><mo>)</mo>'),
  },
  schedule: {
    title: 'Schedule',
    sentences: [
      'During training, a clip at timestep t is a mix of the clean clip and noise: the green line is how much clip is left, the orange line how much noise.',
      'The dots are the timesteps the chosen sampler visits, one per step, from almost all noise down to almost none.',
      'The dashed line, log-SNR, is the signal-to-noise ratio on a log scale: a step far down that line changes the picture a lot.',
    ],
    maths: m('<msub><mi>x</mi><mi>t</mi></msub><mo>=</mo><msqrt><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></msqrt><mspace width="0.2em"/><msub><mi>x</mi><mn>0</mn></msub><mo>+</mo><msqrt><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></msqrt><mspace width="0.2em"/><mi>ε</mi><mo>,</mo><mspace width="1em"/><mtext>log-SNR</mtext><mo>=</mo><mi>log</mi><mfrac><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub><mrow><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></mrow></mfrac>'),
  },
  step: {
    title: 'Step by step',
    sentences: [
      'On the left is what the model saw at this step: the clip so far, still noisy, and its hidden numbers in false colour (red above zero, blue below).',
      'In the middle is the noise the model thinks is in it; on the right, its guess of the finished clip if all that noise were removed.',
      'Move the Step slider: early guesses are blurry, and they sharpen as the noise goes down.',
    ],
    maths: m('<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub><mo>=</mo><mfrac><mrow><msub><mi>x</mi><mi>t</mi></msub><mo>−</mo><msub><mi>σ</mi><mi>t</mi></msub><mspace width="0.2em"/><mover><mi>ε</mi><mo>^</mo></mover></mrow><msub><mi>α</mi><mi>t</mi></msub></mfrac><mo>,</mo><mspace width="1em"/><msub><mi>α</mi><mi>t</mi></msub><mo>=</mo><msqrt><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></msqrt><mo>,</mo><mspace width="0.5em"/><msub><mi>σ</mi><mi>t</mi></msub><mo>=</mo><msqrt><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></msqrt>'),
  },
  guidance: {
    title: 'Guidance',
    sentences: [
      'At every step the model makes two guesses: one with the prompt and one without it (using the negative prompt).',
      'Guidance pushes the result further in the direction the prompt pulls, by the guidance scale times their difference: the bright parts of the heat map are where the prompt matters.',
    ],
    maths: m('<mover><mi>ε</mi><mo>~</mo></mover><mo>=</mo><msub><mover><mi>ε</mi><mo>^</mo></mover><mtext>uncond</mtext></msub><mo>+</mo><mi>w</mi><mspace width="0.2em"/><mo>(</mo><msub><mover><mi>ε</mi><mo>^</mo></mover><mtext>cond</mtext></msub><mo>−</mo><msub><mover><mi>ε</mi><mo>^</mo></mover><mtext>uncond</mtext></msub><mo>)</mo>'),
  },
  compare: {
    title: 'Compare runs',
    sentences: [
      'Two runs from the same starting noise, differing in one thing: the prompt, the sampler or the number of steps.',
      'One slider moves both; when the step counts differ, each side shows its step nearest the same noise level t.',
    ],
    maths: m('<msub><mi>x</mi><mi>T</mi></msub><mo>∼</mo><mi mathvariant="script">N</mi><mo>(</mo><mn>0</mn><mo>,</mo><mi>I</mi><mo>)</mo><mspace width="0.5em"/><mtext>(same seed)</mtext><mo>,</mo><mspace width="1em"/><msub><mi>t</mi><mi>B</mi></msub><mo>=</mo><munder><mi>argmin</mi><mrow><mi>t</mi><mo>∈</mo><msub><mi>τ</mi><mi>B</mi></msub></mrow></munder><mo>|</mo><mi>t</mi><mo>−</mo><msub><mi>t</mi><mi>A</mi></msub><mo>|</mo>'),
  },
  forward: {
    title: 'Forward process',
    sentences: [
      'Training adds noise like this; generation removes it.',
      'Here the finished clip is mixed with random noise at the level of timestep t: at t = 0 it is untouched, near the end it is almost pure noise. No model is asked anything, it is just arithmetic.',
    ],
    maths: m('<mi>q</mi><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>|</mo><msub><mi>x</mi><mn>0</mn></msub><mo>)</mo><mo>=</mo><mi mathvariant="script">N</mi><mo>(</mo><msqrt><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></msqrt><mspace width="0.2em"/><msub><mi>x</mi><mn>0</mn></msub><mo>,</mo><mspace width="0.3em"/><mo>(</mo><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub><mo>)</mo><mi>I</mi><mo>)</mo>'),
  },
  conditioning: {
    title: 'Conditioning',
    sentences: [
      'A video model makes a fixed number of frames at a time: a window. A longer clip is made window by window, each given the last few frames of the one before, and it makes the rest.',
      'In each row the outlined, hatched frames were given to the model (mask 1) and the others it made (mask 0): the mask tells it which frames to keep and which to invent.',
      'A model trained with masks reads them through its own inputs; any other gets the training-free fallback: at every step the given frames are put back, noised.',
    ],
    maths: m('<msub><mi>z</mi><mi>t</mi></msub><mo>←</mo><mi>m</mi><mo>⊙</mo><mo>(</mo><msub><mi>α</mi><mi>t</mi></msub><mspace width="0.1em"/><msup><mi>x</mi><mi>a</mi></msup><mo>+</mo><msub><mi>σ</mi><mi>t</mi></msub><mspace width="0.1em"/><mi>ε</mi><mo>)</mo><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>m</mi><mo>)</mo><mo>⊙</mo><msub><mi>z</mi><mi>t</mi></msub><mo>,</mo><mspace width="1em"/><msup><mover><mi>x</mi><mo>~</mo></mover><mi>b</mi></msup><mo>=</mo><msup><mover><mi>x</mi><mo>^</mo></mover><mi>b</mi></msup><mo>+</mo><msub><mi>w</mi><mi>r</mi></msub><mspace width="0.1em"/><msup><mi>γ</mi><mrow><mo>|</mo><mi>b</mi><mo>−</mo><mi>a</mi><mo>|</mo></mrow></msup><mo>(</mo><msup><mi>x</mi><mi>a</mi></msup><mo>−</mo><msup><mover><mi>x</mi><mo>^</mo></mover><mi>a</mi></msup><mo>)</mo>'),
  },
};
