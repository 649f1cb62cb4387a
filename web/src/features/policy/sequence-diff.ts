/** A minimal diff of two sequences (longest common subsequence), for word and list diffs. */

export type DiffOp<T> = { op: 'same' | 'removed' | 'added'; value: T };

const MAX_CELLS = 2_000_000;

export function diffSequence<T>(
  before: readonly T[],
  after: readonly T[],
  key: (value: T) => string = String,
): DiffOp<T>[] {
  const a = before.map(key);
  const b = after.map(key);
  // Common head and tail need no table.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  const ops: DiffOp<T>[] = before.slice(0, head).map((value) => ({ op: 'same', value }));
  const middle: DiffOp<T>[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    // Too long to align word by word: show the middle as replaced.
    for (let i = 0; i < n; i++) middle.push({ op: 'removed', value: before[head + i] as T });
    for (let j = 0; j < m; j++) middle.push({ op: 'added', value: after[head + j] as T });
  } else {
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] =
          a[head + i] === b[head + j]
            ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[head + i] === b[head + j]) {
        middle.push({ op: 'same', value: before[head + i] as T });
        i++;
        j++;
      } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
        middle.push({ op: 'removed', value: before[head + i] as T });
        i++;
      } else {
        middle.push({ op: 'added', value: after[head + j] as T });
        j++;
      }
    }
    for (; i < n; i++) middle.push({ op: 'removed', value: before[head + i] as T });
    for (; j < m; j++) middle.push({ op: 'added', value: after[head + j] as T });
  }
  return [
    ...ops,
    ...middle,
    ...after.slice(after.length - tail).map((value) => ({ op: 'same' as const, value })),
  ];
}

/** Words and the spaces between them, so a text diff keeps its spacing. */
export function words(text: string): string[] {
  return text.split(/(\s+)/).filter((token) => token !== '');
}

/** A text diff as readable pieces: unchanged text, or a change (what went, what came). */
export type TextPiece = { same: string } | { removed: string; added: string };

/** Short unchanged bits between two changes (a space, "de", "a") read better inside the change. */
const SMALL = (text: string) => text.trim().length <= 3;

/**
 * Word diff with a semantic clean-up: a change is one phrase struck through followed by its
 * replacement, rather than words and their replacements interleaved one by one.
 */
export function textDiff(before: string, after: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  for (const { op, value } of diffSequence(words(before), words(after))) {
    const last = pieces[pieces.length - 1];
    if (op === 'same') {
      if (last && 'same' in last) last.same += value;
      else pieces.push({ same: value });
    } else if (last && 'removed' in last) {
      if (op === 'removed') last.removed += value;
      else last.added += value;
    } else pieces.push(op === 'removed' ? { removed: value, added: '' } : { removed: '', added: value });
  }
  // Fold small unchanged pieces that sit between two changes into one change.
  const folded: TextPiece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as TextPiece;
    const previous = folded[folded.length - 1];
    const next = pieces[i + 1];
    if (
      'same' in piece &&
      previous &&
      'removed' in previous &&
      next &&
      'removed' in next &&
      SMALL(piece.same)
    ) {
      previous.removed += piece.same + next.removed;
      previous.added += piece.same + next.added;
      i++;
    } else if ('removed' in piece && previous && 'removed' in previous) {
      previous.removed += piece.removed;
      previous.added += piece.added;
    } else folded.push({ ...piece });
  }
  return folded;
}
