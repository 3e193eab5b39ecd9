/**
 * The line-matching core of GNU diff 3.8, written again in TypeScript.
 *
 * Why not jsdiff (npm "diff")? Its Myers variant explores forward only and has no
 * post-processing, so on files with repeated lines it aligns changes differently from GNU
 * diff (e.g. which of several identical blank lines is reported as inserted), and agents
 * compare our output with what GNU prints. GNU's result depends on several steps that all
 * have to be reproduced: trimming the identical prefix and suffix (keeping `horizon` lines),
 * putting lines into equivalence classes under -i/-b/-w/-E/-Z, discarding "confusing" lines
 * that match nothing in the other file (discard_confusing_lines), the divide-and-conquer
 * middle-snake search of gnulib's diffseq.h (with its TOO_EXPENSIVE cut-off and the optional
 * --speed-large-files heuristic), and shift_boundaries, which slides runs of changes to merge
 * them with neighbouring runs and to line them up with changes in the other file.
 */

export type WhiteSpaceMode = "none" | "tab" | "trailing" | "tab-trailing" | "space-change" | "all";

export interface LineCompareOptions {
  ignoreCase: boolean;
  whiteSpace: WhiteSpaceMode;
  tabSize?: number;
}

/** One edit: `deleted` lines from line0 of file 0 replaced by `inserted` lines from line1. */
export interface Change {
  line0: number;
  line1: number;
  deleted: number;
  inserted: number;
}

export interface FileLines {
  /** Lines without their newline (latin1 strings: one char per byte). */
  lines: string[];
  /** True when the last line has no trailing newline. */
  missingNewline: boolean;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/** The text GNU hashes for a line under the options: equal keys mean equal lines. */
export function lineKey(line: string, opts: LineCompareOptions): string {
  const ws = opts.whiteSpace;
  const ic = opts.ignoreCase;
  if (ws === "none" && !ic) return line;
  const out: number[] = [];
  const n = line.length;
  if (ws === "all") {
    for (let i = 0; i < n; i++) {
      const c = line.charCodeAt(i);
      if (!isSpace(c)) out.push(ic ? lower(c) : c);
    }
  } else if (ws === "space-change") {
    for (let i = 0; i < n; i++) {
      let c = line.charCodeAt(i);
      if (isSpace(c)) {
        while (i < n && isSpace(line.charCodeAt(i))) i++;
        if (i === n) break;
        out.push(0x20);
        c = line.charCodeAt(i);
      }
      out.push(ic ? lower(c) : c);
    }
  } else if (ws === "none") {
    for (let i = 0; i < n; i++) out.push(lower(line.charCodeAt(i)));
  } else {
    const trailing = ws === "trailing" || ws === "tab-trailing";
    // GNU quirk: with -E and -Z together, lines_differ leaves its switch before the tab
    // expansion case whenever both characters are white space, so -E then has no effect.
    const tabs = ws === "tab";
    const tabSize = opts.tabSize ?? 8;
    let end = n;
    if (trailing) while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
    let tab = 0;
    let column = 0;
    for (let i = 0; i < end; i++) {
      let c = line.charCodeAt(i);
      let repetitions = 1;
      if (tabs) {
        switch (c) {
          case 0x08:
            if (column > 0) column--;
            else if (tab > 0) {
              tab--;
              column = tabSize - 1;
            }
            break;
          case 0x09:
            c = 0x20;
            repetitions = tabSize - (column % tabSize);
            tab += Math.floor(column / tabSize) + 1;
            column = 0;
            break;
          case 0x0d:
            tab = column = 0;
            break;
          case 0x00:
          case 0x07:
          case 0x0c:
          case 0x0b:
            break;
          default:
            column++;
        }
      }
      if (ic) c = lower(c);
      for (let r = 0; r < repetitions; r++) out.push(c);
    }
  }
  let s = "";
  for (let i = 0; i < out.length; i += 8192) {
    s += String.fromCharCode(...out.slice(i, i + 8192));
  }
  return s;
}

export interface AnalyzeOptions extends LineCompareOptions {
  /** Lines of identical prefix/suffix kept for shift_boundaries (GNU: the context). */
  horizon: number;
  minimal: boolean;
  speedLargeFiles: boolean;
}

/** Computes GNU diff's edit script between two files. */
export function analyzeLines(file0: FileLines, file1: FileLines, opts: AnalyzeOptions): Change[] {
  const a = file0.lines;
  const b = file1.lines;
  const n0 = a.length;
  const n1 = b.length;
  // --- find_identical_ends, at line granularity.
  const sameLine = (i: number, j: number): boolean =>
    a[i] === b[j] &&
    (i === n0 - 1 && file0.missingNewline) === (j === n1 - 1 && file1.missingNewline);
  let prefix = 0;
  while (prefix < n0 && prefix < n1 && sameLine(prefix, prefix)) prefix++;
  prefix = Math.max(0, prefix - opts.horizon);
  let suffix = 0;
  if (file0.missingNewline === file1.missingNewline) {
    const limit = Math.min(n0, n1) - prefix;
    while (suffix < limit && sameLine(n0 - 1 - suffix, n1 - 1 - suffix)) suffix++;
    suffix = Math.max(0, suffix - opts.horizon);
  }
  const len0 = n0 - prefix - suffix;
  const len1 = n1 - prefix - suffix;

  // --- equivalence classes over the body lines (class 0 unused, as in GNU).
  const classes = new Map<string, number>();
  let nextClass = 1;
  const classify = (lines: string[], count: number, missing: boolean): Int32Array => {
    const eq = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const index = prefix + i;
      let key = lineKey(lines[index], opts);
      // An incomplete last line only matches the other file's incomplete line, unless
      // trailing white space (and so the newline) is ignored.
      const ws = opts.whiteSpace;
      if (missing && index === lines.length - 1 && (ws === "none" || ws === "tab"))
        key = `\u0100${key}`;
      let c = classes.get(key);
      if (c === undefined) {
        c = nextClass++;
        classes.set(key, c);
      }
      eq[i] = c;
    }
    return eq;
  };
  const equivs0 = classify(a, len0, file0.missingNewline);
  const equivs1 = classify(b, len1, file1.missingNewline);
  // changed flags with one sentinel on each side: index i is stored at i + 1.
  const changed0 = new Uint8Array(len0 + 2);
  const changed1 = new Uint8Array(len1 + 2);

  // --- discard_confusing_lines
  const equivMax = nextClass;
  const count0 = new Int32Array(equivMax);
  const count1 = new Int32Array(equivMax);
  for (let i = 0; i < len0; i++) count0[equivs0[i]]++;
  for (let i = 0; i < len1; i++) count1[equivs1[i]]++;
  const undiscarded: Int32Array[] = [];
  const realIndexes: Int32Array[] = [];
  const equivsOf = [equivs0, equivs1];
  const changedOf = [changed0, changed1];
  const discardsOf: Uint8Array[] = [];
  for (let f = 0; f < 2; f++) {
    const equivs = equivsOf[f];
    const end = equivs.length;
    const counts = f === 0 ? count1 : count0;
    const discards = new Uint8Array(end);
    let many = 5;
    let tem = Math.floor(end / 64);
    while ((tem >>= 2) > 0) many *= 2;
    for (let i = 0; i < end; i++) {
      if (equivs[i] === 0) continue;
      const nmatch = counts[equivs[i]];
      if (nmatch === 0) discards[i] = 1;
      else if (nmatch > many) discards[i] = 2;
    }
    discardsOf.push(discards);
  }
  for (let f = 0; f < 2; f++) {
    const discards = discardsOf[f];
    const end = discards.length;
    for (let i = 0; i < end; i++) {
      if (discards[i] === 2) discards[i] = 0;
      else if (discards[i] !== 0) {
        let provisional = 0;
        let j: number;
        for (j = i; j < end; j++) {
          if (discards[j] === 0) break;
          if (discards[j] === 2) ++provisional;
        }
        while (j > i && discards[j - 1] === 2) {
          discards[--j] = 0;
          --provisional;
        }
        const length = j - i;
        if (provisional * 4 > length) {
          while (j > i) if (discards[--j] === 2) discards[j] = 0;
        } else {
          let minimum = 1;
          let t = Math.floor(length / 4);
          while ((t >>= 2) > 0) minimum *= 2;
          minimum++;
          let consec = 0;
          for (j = 0; j < length; j++) {
            if (discards[i + j] !== 2) consec = 0;
            else if (minimum === ++consec) j -= consec;
            else if (minimum < consec) discards[i + j] = 0;
          }
          consec = 0;
          for (j = 0; j < length; j++) {
            if (j >= 8 && discards[i + j] === 1) break;
            if (discards[i + j] === 2) {
              consec = 0;
              discards[i + j] = 0;
            } else if (discards[i + j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
          i += length - 1;
          consec = 0;
          for (j = 0; j < length; j++) {
            if (j >= 8 && discards[i - j] === 1) break;
            if (discards[i - j] === 2) {
              consec = 0;
              discards[i - j] = 0;
            } else if (discards[i - j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
        }
      }
    }
  }
  for (let f = 0; f < 2; f++) {
    const discards = discardsOf[f];
    const equivs = equivsOf[f];
    const changed = changedOf[f];
    const und = new Int32Array(equivs.length);
    const real = new Int32Array(equivs.length);
    let j = 0;
    for (let i = 0; i < equivs.length; i++) {
      if (opts.minimal || discards[i] === 0) {
        und[j] = equivs[i];
        real[j++] = i;
      } else changed[i + 1] = 1;
    }
    undiscarded.push(und.subarray(0, j));
    realIndexes.push(real.subarray(0, j));
  }

  // --- compareseq / diag (gnulib diffseq.h)
  const xv = undiscarded[0];
  const yv = undiscarded[1];
  const xn = xv.length;
  const yn = yv.length;
  const diags = xn + yn + 3;
  const fdiag = new Int32Array(diags);
  const bdiag = new Int32Array(diags);
  const dOff = yn + 1;
  let tooExpensive = 1;
  for (let d = diags; d !== 0; d = Math.floor(d / 4)) tooExpensive *= 2;
  tooExpensive = Math.max(4096, tooExpensive);
  const SNAKE_LIMIT = 20;
  const OFFSET_MAX = 0x7fffffff;
  const real0 = realIndexes[0];
  const real1 = realIndexes[1];
  const part = { xmid: 0, ymid: 0, loMinimal: false, hiMinimal: false };

  const diag = (xoff: number, xlim: number, yoff: number, ylim: number, findMinimal: boolean) => {
    const fd = fdiag;
    const bd = bdiag;
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    const odd = ((fmid - bmid) & 1) !== 0;
    fd[fmid + dOff] = xoff;
    bd[bmid + dOff] = xlim;
    for (let c = 1; ; ++c) {
      let bigSnake = false;
      if (fmin > dmin) fd[--fmin - 1 + dOff] = -1;
      else ++fmin;
      if (fmax < dmax) fd[++fmax + 1 + dOff] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const tlo = fd[d - 1 + dOff];
        const thi = fd[d + 1 + dOff];
        const x0 = tlo < thi ? thi : tlo + 1;
        let x = x0;
        let y = x0 - d;
        while (x < xlim && y < ylim && xv[x] === yv[y]) {
          x++;
          y++;
        }
        if (x - x0 > SNAKE_LIMIT) bigSnake = true;
        fd[d + dOff] = x;
        if (odd && bmin <= d && d <= bmax && bd[d + dOff] <= x) {
          part.xmid = x;
          part.ymid = y;
          part.loMinimal = part.hiMinimal = true;
          return;
        }
      }
      if (bmin > dmin) bd[--bmin - 1 + dOff] = OFFSET_MAX;
      else ++bmin;
      if (bmax < dmax) bd[++bmax + 1 + dOff] = OFFSET_MAX;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const tlo = bd[d - 1 + dOff];
        const thi = bd[d + 1 + dOff];
        const x0 = tlo < thi ? tlo : thi - 1;
        let x = x0;
        let y = x0 - d;
        while (xoff < x && yoff < y && xv[x - 1] === yv[y - 1]) {
          x--;
          y--;
        }
        if (x0 - x > SNAKE_LIMIT) bigSnake = true;
        bd[d + dOff] = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd[d + dOff]) {
          part.xmid = x;
          part.ymid = y;
          part.loMinimal = part.hiMinimal = true;
          return;
        }
      }
      if (findMinimal) continue;
      if (c > 200 && bigSnake && opts.speedLargeFiles) {
        let best = 0;
        for (let d = fmax; d >= fmin; d -= 2) {
          const dd = d - fmid;
          const x = fd[d + dOff];
          const y = x - d;
          const v = (x - xoff) * 2 - dd;
          if (v > 12 * (c + (dd < 0 ? -dd : dd))) {
            if (
              v > best &&
              xoff + SNAKE_LIMIT <= x &&
              x < xlim &&
              yoff + SNAKE_LIMIT <= y &&
              y < ylim
            ) {
              for (let k = 1; xv[x - k] === yv[y - k]; k++) {
                if (k === SNAKE_LIMIT) {
                  best = v;
                  part.xmid = x;
                  part.ymid = y;
                  break;
                }
              }
            }
          }
        }
        if (best > 0) {
          part.loMinimal = true;
          part.hiMinimal = false;
          return;
        }
        best = 0;
        for (let d = bmax; d >= bmin; d -= 2) {
          const dd = d - bmid;
          const x = bd[d + dOff];
          const y = x - d;
          const v = (xlim - x) * 2 + dd;
          if (v > 12 * (c + (dd < 0 ? -dd : dd))) {
            if (
              v > best &&
              xoff < x &&
              x <= xlim - SNAKE_LIMIT &&
              yoff < y &&
              y <= ylim - SNAKE_LIMIT
            ) {
              for (let k = 0; xv[x + k] === yv[y + k]; k++) {
                if (k === SNAKE_LIMIT - 1) {
                  best = v;
                  part.xmid = x;
                  part.ymid = y;
                  break;
                }
              }
            }
          }
        }
        if (best > 0) {
          part.loMinimal = false;
          part.hiMinimal = true;
          return;
        }
      }
      if (c >= tooExpensive) {
        let fxybest = -1;
        let fxbest = 0;
        for (let d = fmax; d >= fmin; d -= 2) {
          let x = Math.min(fd[d + dOff], xlim);
          let y = x - d;
          if (ylim < y) {
            x = ylim + d;
            y = ylim;
          }
          if (fxybest < x + y) {
            fxybest = x + y;
            fxbest = x;
          }
        }
        let bxybest = OFFSET_MAX;
        let bxbest = 0;
        for (let d = bmax; d >= bmin; d -= 2) {
          let x = Math.max(xoff, bd[d + dOff]);
          let y = x - d;
          if (y < yoff) {
            x = yoff + d;
            y = yoff;
          }
          if (x + y < bxybest) {
            bxybest = x + y;
            bxbest = x;
          }
        }
        if (xlim + ylim - bxybest < fxybest - (xoff + yoff)) {
          part.xmid = fxbest;
          part.ymid = fxybest - fxbest;
          part.loMinimal = true;
          part.hiMinimal = false;
        } else {
          part.xmid = bxbest;
          part.ymid = bxybest - bxbest;
          part.loMinimal = false;
          part.hiMinimal = true;
        }
        return;
      }
    }
  };

  // Iterative compareseq (an explicit stack keeps deep recursions off the JS stack).
  const stack: [number, number, number, number, boolean][] = [[0, xn, 0, yn, opts.minimal]];
  while (stack.length > 0) {
    const top = stack.pop() as [number, number, number, number, boolean];
    let [xoff, xlim, yoff, ylim] = top;
    const findMinimal = top[4];
    while (xoff < xlim && yoff < ylim && xv[xoff] === yv[yoff]) {
      xoff++;
      yoff++;
    }
    while (xoff < xlim && yoff < ylim && xv[xlim - 1] === yv[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) {
      while (yoff < ylim) changed1[real1[yoff++] + 1] = 1;
    } else if (yoff === ylim) {
      while (xoff < xlim) changed0[real0[xoff++] + 1] = 1;
    } else {
      diag(xoff, xlim, yoff, ylim, findMinimal);
      const { xmid, ymid, loMinimal, hiMinimal } = part;
      // Push the high half first so that the low half is processed first, as GNU does.
      stack.push([xmid, xlim, ymid, ylim, hiMinimal]);
      stack.push([xoff, xmid, yoff, ymid, loMinimal]);
    }
  }

  // --- shift_boundaries
  for (let f = 0; f < 2; f++) {
    const ch = changedOf[f];
    const other = changedOf[1 - f];
    const equivs = equivsOf[f];
    // ch[k + 1] is changed[k]
    let i = 0;
    let j = 0;
    const iEnd = equivs.length;
    for (;;) {
      while (i < iEnd && !ch[i + 1]) {
        while (other[1 + j++]);
        i++;
      }
      if (i === iEnd) break;
      let start = i;
      while (ch[1 + ++i]);
      while (other[1 + j]) j++;
      let runlength: number;
      let corresponding: number;
      do {
        runlength = i - start;
        while (start && equivs[start - 1] === equivs[i - 1]) {
          ch[1 + --start] = 1;
          ch[1 + --i] = 0;
          while (ch[1 + start - 1]) start--;
          while (other[1 + --j]);
        }
        corresponding = other[1 + j - 1] ? i : iEnd;
        while (i !== iEnd && equivs[start] === equivs[i]) {
          ch[1 + start++] = 0;
          ch[1 + i++] = 1;
          while (ch[1 + i]) i++;
          while (other[1 + ++j]) corresponding = i;
        }
      } while (runlength !== i - start);
      while (corresponding < i) {
        ch[1 + --start] = 1;
        ch[1 + --i] = 0;
        while (other[1 + --j]);
      }
    }
  }

  // --- build_script (forward order), in whole-file line numbers.
  const script: Change[] = [];
  let i0 = 0;
  let i1 = 0;
  while (i0 < len0 || i1 < len1) {
    if (changed0[i0 + 1] || changed1[i1 + 1]) {
      const line0 = i0;
      const line1 = i1;
      while (changed0[i0 + 1]) ++i0;
      while (changed1[i1 + 1]) ++i1;
      script.push({
        line0: line0 + prefix,
        line1: line1 + prefix,
        deleted: i0 - line0,
        inserted: i1 - line1,
      });
    }
    i0++;
    i1++;
  }
  return script;
}
