import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latexToUnicode } from '../../src/ingest/latex-to-unicode.js';
import { DIGESTS, parseFixture, REAL_API, REAL_PAGE } from './fixtures.js';

/**
 * Real snippets: the sample page of 2025-12-11 (content/digests/hf-papers-2025-12-11.txt, where
 * Hugging Face has already dropped some backslashes), the test feeds, and arXiv titles and
 * abstracts (ids given).
 */
const SNIPPETS: Array<[source: string, input: string, expected: string]> = [
  // The sample page.
  ['Light SB abstract', 'computational Schr\\"odinger Bridges (SB)', 'computational Schrödinger Bridges (SB)'],
  ['Light SB abstract', 'viewing the log-Schr\\"odinger potentials as the energy functions', 'viewing the log-Schrödinger potentials as the energy functions'],
  ['No Token Left Behind', 'generative Large Language Models~(LLMs). However', 'generative Large Language Models (LLMs). However'],
  ['No Token Left Behind', 'we propose Mixed-precision KV cache~(MiKV), a reliable', 'we propose Mixed-precision KV cache (MiKV), a reliable'],
  ['Intrinsic Dimension of Texts', 'scientific prose shows low ID (~8), encyclopedic content medium ID (~9)', 'scientific prose shows low ID (~8), encyclopedic content medium ID (~9)'],
  ['Intrinsic Dimension of Texts', 'creative/opinion writing high ID (~10.5) across', 'creative/opinion writing high ID (~10.5) across'],
  ['When Do We Not Need Larger Vision Models?', 'the power of Scaling on Scales (S^2), whereby', 'the power of Scaling on Scales (S²), whereby'],
  ['When Do We Not Need Larger Vision Models?', 'one line of code: https://github.com/bfshi/scaling_on_scales.', 'one line of code: https://github.com/bfshi/scaling_on_scales.'],
  ['eDKM', 'Our experimental results demonstrate that \\prjname can fine-tune', 'Our experimental results demonstrate that prjname can fine-tune'],
  ['Intrinsic Dimensionality of Fine-Tuning', 'achieve 90\\% of the full parameter performance levels on MRPC', 'achieve 90% of the full parameter performance levels on MRPC'],
  ['Scaling Laws for Autoregressive Generative Modeling', 'video modeling, multimodal imageleftrightarrowtext models, and', 'video modeling, multimodal image↔text models, and'],
  ['Scaling Laws for Autoregressive Generative Modeling', 'interpretation as S(True) + D_{KL}(True||Model), and', 'interpretation as S(True) + D_KL(True||Model), and'],
  ['Scaling Laws for Autoregressive Generative Modeling', 'downsampled to an 8times 8 resolution', 'downsampled to an 8× 8 resolution'],
  ['Weighted least-squares', 'space V_m, associated with some feature map varphi, using', 'space Vₘ, associated with some feature map φ, using'],
  ['Weighted least-squares', 'at random points x_1,dots,x_n. After recalling', 'at random points x₁,…,xₙ. After recalling'],
  ['Weighted least-squares', 'diversity in the selected features varphi(x_i). We first', 'diversity in the selected features φ(xᵢ). We first'],
  ['Weighted least-squares', 'approximating a function from L^2 by an element', 'approximating a function from L² by an element'],
  ['Weighted least-squares', 'the cases of functions from L^infty or reproducing kernel', 'the cases of functions from L^∞ or reproducing kernel'],
  ['KIVI', 'footprint of a decoder layer by 130times, while delivering', 'footprint of a decoder layer by 130×, while delivering'],
  ['KIVI', 'enables up to 4times larger batch size, bringing 2.35times sim 3.47times throughput', 'enables up to 4× larger batch size, bringing 2.35× ∼ 3.47× throughput'],
  ['SE(n) Equivariant Networks', 'orientations R^3 {times} S^2, and the group SE(3) itself', 'orientations R³ × S², and the group SE(3) itself'],
  // The test feeds (arXiv API and RSS, Hugging Face API and page).
  ['arXiv 2501.01234 (test feed)', 'Scaling Laws for Sparse Autoencoders on $\\mathcal{O}(10^9)$-Parameter Language Models', 'Scaling Laws for Sparse Autoencoders on 𝒪(10⁹)-Parameter Language Models'],
  ['HF API 2509.25541 (test feed)', 'Sparse Mixture-of-Experts Routing with $\\ell_0$ Regularization', 'Sparse Mixture-of-Experts Routing with ℓ₀ Regularization'],
  ['HF page quirks (test feed)', '$\\alpha$-Flow: Unifying Flow Matching and Consistency Models', 'α-Flow: Unifying Flow Matching and Consistency Models'],
  // arXiv titles.
  ['arXiv 2306.14048', 'H$_2$O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models', 'H₂O: Heavy-Hitter Oracle for Efficient Generative Inference of Large Language Models'],
  ['arXiv 2402.03804', 'ReLU$^2$ Wins: Discovering Efficient Activation Functions for Sparse LLMs', 'ReLU² Wins: Discovering Efficient Activation Functions for Sparse LLMs'],
  ['arXiv 2410.24164', '$\\pi_0$: A Vision-Language-Action Flow Model for General Robot Control', 'π₀: A Vision-Language-Action Flow Model for General Robot Control'],
  ['arXiv 2406.12045', '$\\tau$-bench: A Benchmark for Tool-Agent-User Interaction in Real-World Domains', 'τ-bench: A Benchmark for Tool-Agent-User Interaction in Real-World Domains'],
  ['arXiv 2109.00301', '$\\infty$-former: Infinite Memory Transformer', '∞-former: Infinite Memory Transformer'],
  ['arXiv 2106.07477', '$S^2$-MLP: Spatial-Shift MLP Architecture for Vision', 'S²-MLP: Spatial-Shift MLP Architecture for Vision'],
  ['arXiv 2407.01178', '$\\text{Memory}^3$: Language Modeling with Explicit Memory', 'Memory³: Language Modeling with Explicit Memory'],
  ['arXiv 2406.14283', '$Q^*$: Improving Multi-step Reasoning for LLMs with Deliberative Planning', 'Q*: Improving Multi-step Reasoning for LLMs with Deliberative Planning'],
  ['arXiv 2310.03173', '$\\mathcal{B}$-Coder: Value-Based Deep Reinforcement Learning for Program Synthesis', 'ℬ-Coder: Value-Based Deep Reinforcement Learning for Program Synthesis'],
  ['arXiv 2302.10879', '$k$NN-Adapter: Efficient Domain Adaptation for Black-Box Language Models', 'kNN-Adapter: Efficient Domain Adaptation for Black-Box Language Models'],
  ['arXiv 2402.05195', '$\\lambda$-ECLIPSE: Multi-Concept Personalized Text-to-Image Diffusion Models by Leveraging CLIP Latent Space', 'λ-ECLIPSE: Multi-Concept Personalized Text-to-Image Diffusion Models by Leveraging CLIP Latent Space'],
  // arXiv abstracts.
  ['arXiv 2001.04451', 'changing its complexity from O($L^2$) to O($L\\log L$), where $L$ is the length of the sequence', 'changing its complexity from O(L²) to O(L log L), where L is the length of the sequence'],
  ['arXiv 2006.04768', 'reduces the overall self-attention complexity from $O(n^2)$ to $O(n)$ in both time and space', 'reduces the overall self-attention complexity from O(n²) to O(n) in both time and space'],
  ['arXiv 2312.00752', 'Mamba enjoys fast inference (5$\\times$ higher throughput than Transformers)', 'Mamba enjoys fast inference (5× higher throughput than Transformers)'],
  ['arXiv 2205.14135', '3$\\times$ speedup on GPT-2 (seq. length 1K), and 2.4$\\times$ speedup on long-range arena', '3× speedup on GPT-2 (seq. length 1K), and 2.4× speedup on long-range arena'],
  ['arXiv 2010.02502', 'DDIMs can produce high quality samples $10 \\times$ to $50 \\times$ faster in terms of wall-clock time', 'DDIMs can produce high quality samples 10 × to 50 × faster in terms of wall-clock time'],
  ['arXiv 1706.08500', 'we introduce the "Fr\\\'echet Inception Distance" (FID)', 'we introduce the "Fréchet Inception Distance" (FID)'],
];

/** Constructs that real text uses, one per rule of latexToUnicode. */
const RULES: Array<[input: string, expected: string]> = [
  ['{\\\'e}t{\\\'e} \\c{c}a Fran\\c{c}ois Erd\\H{o}s G\\"{o}del na\\"{\\i}ve \\v{S}koda \\~n', 'été ça François Erdős Gödel naïve Škoda ñ'],
  ['$x \\sim \\mathcal{N}(0, \\sigma^2)$, $a \\approx b$, $a \\leq b$, $f: X \\rightarrow Y$, $x \\in \\mathbb{R}^d$', 'x ∼ 𝒩(0, σ²), a ≈ b, a ≤ b, f: X → Y, x ∈ ℝᵈ'],
  ['$\\varphi \\leftrightarrow \\psi$, $\\infty$, $a \\times b$, $\\ell_p$, $a \\neq b$, $\\mu$, $\\nabla f$', 'φ ↔ ψ, ∞, a × b, ℓₚ, a ≠ b, μ, ∇ f'],
  ['$W^{-1}$, $x^{(n)}$, $x_{ij}$, $\\theta_{t+1}$, $x^\\top$, $10^{-3}$', 'W⁻¹, x⁽ⁿ⁾, xᵢⱼ, θₜ₊₁, xᵀ, 10⁻³'],
  ['$\\mathbb{R}^{n \\times d}$, $x_{\\text{max}}$, $D_{KL}$, $h^{(\\ell)}$', 'ℝ^(n × d), xₘₐₓ, D_KL, h^(ℓ)'],
  ['$\\frac{1}{2}$, $\\sqrt{n}$, $\\frac{a+b}{c}$, $\\tilde{O}(\\sqrt{T})$ regret', '1/2, √n, (a+b)/c, Õ(√T) regret'],
  ['\\textbf{bold}, \\emph{e.g.}, \\textit{i.e.}, $\\text{softmax}(x)$, $\\mathrm{d}x$, \\texttt{code}', 'bold, e.g., i.e., softmax(x), dx, code'],
  ['\\(a \\leq b\\) and \\[ x \\in \\mathcal{X} \\] and $$E = mc^2$$ end', 'a ≤ b and x ∈ 𝒳 and E = mc² end'],
  ['\\dots, \\ldots, \\cdots, 1\\_000, R\\&D, \\#1, \\$5, 50\\%', '…, …, ⋯, 1_000, R&D, #1, $5, 50%'],
  ['Fig.~2 shows a ~10x speedup, see Section~3', 'Fig. 2 shows a ~10x speedup, see Section 3'],
  ['\\foo{bar} and \\foo baz and \\cite{smith2020} done', 'bar and foo baz and done'],
  ['costs $5 million and $10 million, or $5-$10 each, with $\\alpha', 'costs $5 million and $10 million, or $5-$10 each, with α'],
  ['$\\{1, \\dots, n\\}$, $\\left( x \\right)$, $|x|$, $\\hat{y}$, $\\bar{x}$', '{1, …, n}, ( x ), |x|, ŷ, x̅'],
];

/** Text that is not LaTeX, and must come back byte for byte. */
const UNCHANGED = [
  'Time-series representation learning is a fundamental task for time-series analysis.',
  'Set snake_case_name in file_name.py and a_b_c, or MAX_LEN=512 and __init__.',
  'See https://example.edu/~user/x_y^z and www.site.org/a_b for the code.',
  'It costs $5 million, about $3.2B in total, and US$ 40 per hour.',
  'A lone ~ and a caret ^ and an underscore _ and alpha, times, dots, sim.',
  'Plain braces {a, b} stay, and so do “quotes”, émigrés and 北京.',
  'We observe 100 times fewer errors; the loss drops 3 times as fast.',
  '',
];

describe('latexToUnicode', () => {
  it.each(SNIPPETS)('%s: %s', (_source, input, expected) => {
    expect(latexToUnicode(input)).toBe(expected);
  });

  it('has at least 30 real snippets', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(RULES)('%s', (input, expected) => {
    expect(latexToUnicode(input)).toBe(expected);
  });

  it.each(UNCHANGED)('leaves text without LaTeX byte-identical: %s', (text) => {
    expect(latexToUnicode(text)).toBe(text);
  });

  it('never leaves a command, a brace of LaTeX or a math $ behind', () => {
    const nasty = ['\\', '$', '$$', '\\frac{', '{\\em', '^{', '_{', '\\sqrt[3]{x', '\\unknown{\\other{x}}', '$\\alpha', '\\\\\\\\', '\\href{http://x}{y}'];
    for (const input of nasty) {
      const out = latexToUnicode(input);
      expect(out, input).not.toMatch(/\\[A-Za-z]|\$(?!\s?\d)/);
    }
  });

  it('is fast: the mangled-form fast path keeps a long plain abstract cheap', () => {
    const plain = 'We study models of language. '.repeat(400);
    const start = performance.now();
    for (let i = 0; i < 200; i++) latexToUnicode(plain);
    expect(performance.now() - start).toBeLessThan(200);
  });
});

describe('ingest leaves no LaTeX in any title, abstract, summary or keyword', () => {
  const files = [REAL_PAGE, REAL_API, ...readdirSync(DIGESTS).filter((f) => !f.includes('error'))];
  it.each(files)('%s', (file) => {
    const { digest } = parseFixture(file, { now: new Date('2026-01-05T12:00:00Z') });
    for (const p of digest.papers) {
      for (const text of [p.title, p.abstract, p.summary ?? '', ...p.keywords]) {
        // A backslash command, or a $ that is not a price.
        expect(text, p.title).not.toMatch(/\\[A-Za-z]|\$(?!\s?\d)/);
      }
    }
  });
});
