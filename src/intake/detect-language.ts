import { francAll } from 'franc-min';

/** The languages franc-min (languages with 8M+ speakers) can return that have an ISO 639-1 code. */
const ISO_639_1: Readonly<Record<string, string>> = {
  amh: 'am',
  arb: 'ar',
  azj: 'az',
  bel: 'be',
  ben: 'bn',
  bos: 'bs',
  bul: 'bg',
  ces: 'cs',
  cmn: 'zh',
  deu: 'de',
  ell: 'el',
  eng: 'en',
  fra: 'fr',
  guj: 'gu',
  hau: 'ha',
  hin: 'hi',
  hrv: 'hr',
  hun: 'hu',
  ibo: 'ig',
  ind: 'id',
  ita: 'it',
  jav: 'jv',
  jpn: 'ja',
  kan: 'kn',
  kaz: 'kk',
  kin: 'rw',
  kor: 'ko',
  lin: 'ln',
  mal: 'ml',
  mar: 'mr',
  mya: 'my',
  nld: 'nl',
  npi: 'ne',
  nya: 'ny',
  pan: 'pa',
  pbu: 'ps',
  pes: 'fa',
  plt: 'mg',
  pol: 'pl',
  por: 'pt',
  ron: 'ro',
  run: 'rn',
  rus: 'ru',
  sin: 'si',
  som: 'so',
  spa: 'es',
  srp: 'sr',
  sun: 'su',
  swe: 'sv',
  swh: 'sw',
  tam: 'ta',
  tel: 'te',
  tgl: 'tl',
  tha: 'th',
  tur: 'tr',
  ukr: 'uk',
  urd: 'ur',
  uzn: 'uz',
  vie: 'vi',
  yor: 'yo',
  zlm: 'ms',
  zul: 'zu',
};

const MIN_LETTERS = 120;
const MIN_WORDS = 20;
/**
 * How far, on franc's 0–1 scale, the winner must lead the runner-up, averaged over the chunks (per chunk,
 * because franc's margins shrink as a text grows). Languages franc-min has no model for reached 0.09
 * (Norwegian read as Swedish); English, Dutch, German and French reports mostly lead by more than 0.13.
 */
const MIN_MARGIN = 0.1;
/** Share of the prose letters in chunks that the winner also wins on their own. */
const MIN_SHARE = 0.8;
/** Letters per chunk: about two sentences, enough for franc to judge a chunk alone. */
const CHUNK_LETTERS = 150;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * ISO 639-1 code of the language the prose is confidently written in, or undefined when not confident.
 * With `accepted`, a best guess among those languages is returned without the chunk-by-chunk check:
 * only a refusal needs that confidence, and it is most of the cost.
 */
export function detectLanguage(
  prose: string[],
  accepted: readonly string[] = [],
): { language: string; name: string } | undefined {
  const paragraphs = prose.flatMap(proseParagraphs);
  const text = paragraphs.join('\n\n');
  if (countLetters(text) < MIN_LETTERS || countWords(text) < MIN_WORDS) return undefined;

  const ranking = francAll(text);
  const best = ranking[0]?.[0];
  const language = best === undefined ? undefined : ISO_639_1[best];
  if (best === undefined || language === undefined) return undefined;
  if (accepted.includes(language)) return { language, name: languageNames.of(language) ?? language };
  // Chunks are judged among the whole text's five best candidates: the rivals that matter, at a
  // fraction of the cost of scoring every language again for each chunk.
  const rivals = ranking.slice(0, 5).map(([code]) => code);
  const { share, margin } = supportAcrossChunks(best, paragraphs, rivals);
  if (share < MIN_SHARE || margin < MIN_MARGIN) return undefined;
  return { language, name: languageNames.of(language) ?? language };
}

/**
 * How `code` fares when franc judges each chunk alone: the share of letters in chunks it wins, and its
 * letter-weighted mean lead over the best other language (negative in chunks it loses).
 */
function supportAcrossChunks(
  code: string,
  paragraphs: string[],
  rivals: string[],
): { share: number; margin: number } {
  let letters = 0;
  let won = 0;
  let weightedLead = 0;
  for (const chunk of chunks(paragraphs)) {
    const chunkLetters = countLetters(chunk);
    let own = 0;
    let other = 0;
    for (const [candidate, score] of francAll(chunk, { minLength: 1, only: rivals })) {
      if (candidate === code) own = score;
      else other = Math.max(other, score);
    }
    letters += chunkLetters;
    weightedLead += chunkLetters * (own - other);
    if (own > other) won += chunkLetters;
  }
  return letters === 0 ? { share: 0, margin: 0 } : { share: won / letters, margin: weightedLead / letters };
}

/** Consecutive sentences grouped to about CHUNK_LETTERS letters, breaking at paragraphs where possible. */
function chunks(paragraphs: string[]): string[] {
  const result: string[] = [];
  let current: string[] = [];
  let letters = 0;
  const close = () => {
    if (current.length > 0) result.push(current.join(' '));
    current = [];
    letters = 0;
  };
  for (const paragraph of paragraphs) {
    for (const sentence of paragraph.split(/(?<=[.!?])\s+|(?<=[。！？])/u)) {
      current.push(sentence);
      letters += countLetters(sentence);
      if (letters >= CHUNK_LETTERS) close();
    }
    if (letters >= CHUNK_LETTERS / 2) close();
  }
  // A short tail is too little to judge alone: it joins the chunk before it.
  const tail = current.join(' ');
  if (tail !== '') {
    const last = result.pop();
    result.push(last === undefined ? tail : `${last} ${tail}`);
  }
  return result;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const INDENTED_CODE = /^(?: {4}|\t)/;
const SHELL_PROMPT = /^\s*(?:\$|>>>|[\w.-]+@[\w.-]+:\S*[#$]|PS [A-Za-z]:\\[^>]*>|[A-Za-z]:\\[^>]*>)\s/;
const HTTP_START =
  /^\s*(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)\s+\S+\s+HTTP\/\d|HTTP\/\d(?:\.\d)?\s+\d{3})/;
const HTTP_REQUEST_LINE = /^\s*(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)\s+(?:\/|https?:)/;
const HTTP_HEADER =
  /^\s*(?:(?:X|Sec|Content|Accept|Access-Control|Cache|User|Set|Strict|If|Proxy|Transfer|Cross-Origin|Referrer|Permissions|WWW|Last|Keep|Upgrade-Insecure)-[\w-]+|Host|Cookie|Accept|Authorization|Origin|Referer|Connection|Server|Location|Pragma|Expires|Vary|ETag|Allow|Range|DNT|Upgrade|Forwarded|Priority)\s*:/i;
const STRUCTURED_DATA = /^\s*(?:[{}\]]|\[\s*(?:$|["{[\d-])|<[/!?]?[A-Za-z]|"[^"]*"\s*:)/;
const SHELL_COMMAND =
  /^\s*(?:sudo\s+)?(?:curl|wget|python3?|node|npm|npx|pip3?|php|ruby|perl|java|bash|sh|git|docker|kubectl|ssh|scp|nc|ncat|nmap|sqlmap|ffuf|nuclei|openssl|dig|nslookup|ping|telnet|echo|cat|ls|chmod)\s+\S*[-'"/.$~=:\d]/;
/** Stack frames, exception and log lines: messages in them are the software's words, not the reporter's. */
const TRACE_LINE =
  /^\s*(?:at\s+\S+\s*\(|File ".*", line \d|Traceback \(most recent call last\)|#\d+\s|\.\.\. \d+ more|(?:Caused by:\s*)?(?:[\w$]+\.)+[\w$]+:|\w*(?:Error|Exception|Warning):|\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d)/;
/** Markdown and e-mail quotes: someone else's words. */
const QUOTED_LINE = /^\s*>/;

/** The prose paragraphs of one field: code, commands, HTTP messages and other non-prose removed. */
function proseParagraphs(field: string): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  let inHttpMessage = false;
  const close = () => {
    if (current.length > 0) paragraphs.push(current.join(' '));
    current = [];
  };
  for (const line of field.split(/\r\n?|\n/)) {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) {
        fence = undefined;
      }
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      close();
      continue;
    }
    if (line.trim() === '') {
      inHttpMessage = false;
      close();
      continue;
    }
    if (HTTP_START.test(line)) {
      inHttpMessage = true;
      close();
      continue;
    }
    if (inHttpMessage || isCodeLine(line)) continue;
    const words = proseWords(line);
    if (words !== undefined) current.push(words);
  }
  close();
  return paragraphs;
}

function isCodeLine(line: string): boolean {
  return (
    INDENTED_CODE.test(line) ||
    SHELL_PROMPT.test(line) ||
    HTTP_REQUEST_LINE.test(line) ||
    HTTP_HEADER.test(line) ||
    SHELL_COMMAND.test(line) ||
    STRUCTURED_DATA.test(line) ||
    TRACE_LINE.test(line) ||
    QUOTED_LINE.test(line)
  );
}

const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
const CJK_THEN_ASCII = new RegExp(`([${CJK}])(?=[\\x21-\\x7e])`, 'gu');
const ASCII_THEN_CJK = new RegExp(`([\\x21-\\x7e])(?=[${CJK}])`, 'gu');
const INLINE_CODE = /`[^`]*`/g;
const URL = /\b(?:https?|ftp|wss?|file):\/\/\S*/gi;
/** E-mail addresses and handles: any word with an @, matched from word starts only to stay linear. */
const EMAIL = /(?<!\S)[^\s@]*@\S*/g;
const DOMAIN = /(?<![\w@.-])(?:[a-z\d-]+\.)+[a-z]{2,}(?:\/\S*)?/gi;
const PATH = /(?<!\S)(?:[a-z]:\\|\.{1,2}\/|~\/|\/(?=[\w.-]))\S*/gi;
/** Sentence punctuation and emphasis around a word; a code token keeps its code characters inside. */
const LEADING_PUNCTUATION = /^[("'“”‘’«»„‚¿¡*_~[]+/;
// The lookbehind starts a match only where a run of punctuation starts, which keeps long runs linear.
const TRAILING_PUNCTUATION = /(?<![)"'“”‘’«».,:;!?…*_~\]])[)"'“”‘’«».,:;!?…*_~\]]+$/;
/** Characters that do not occur inside a prose word, but do in code, paths, addresses and markup. */
const CODE_CHARACTERS = /[=<>{}[\]();\\|$#%^*~`_@&+/:"]/;
const DIGIT = /\p{N}/u;
const INNER_DOT = /[^.]\.[^.]/;
const CAMEL_CASE = /\p{Ll}\p{Lu}/u;
const ACRONYM = /^\p{Lu}{2,}s?$/u;
const LETTER = /\p{L}/u;

/**
 * The prose words of one line, or undefined when the line is mostly code: a prose line keeps at least
 * half of its letters once code-like tokens are gone. Addresses and paths are cut out first: prose
 * sentences point at them.
 */
function proseWords(line: string): string | undefined {
  const spaced = line
    .replace(CJK_THEN_ASCII, '$1 ')
    .replace(ASCII_THEN_CJK, '$1 ')
    .replace(INLINE_CODE, ' ')
    .replace(URL, ' ')
    .replace(EMAIL, ' ')
    .replace(DOMAIN, ' ')
    .replace(PATH, ' ');
  const kept: string[] = [];
  let keptLetters = 0;
  let allLetters = 0;
  for (const token of spaced.split(/\s+/)) {
    const letters = countLetters(token);
    allLetters += letters;
    if (
      letters > 0 &&
      isProseWord(token.replace(LEADING_PUNCTUATION, '').replace(TRAILING_PUNCTUATION, ''))
    ) {
      kept.push(token);
      keptLetters += letters;
    }
  }
  if (keptLetters === 0 || keptLetters < allLetters / 2) return undefined;
  return kept.join(' ');
}

function isProseWord(word: string): boolean {
  return (
    LETTER.test(word) &&
    !word.startsWith('-') &&
    !CODE_CHARACTERS.test(word) &&
    !DIGIT.test(word) &&
    !INNER_DOT.test(word) &&
    !CAMEL_CASE.test(word) &&
    !ACRONYM.test(word)
  );
}

function countLetters(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

function countWords(text: string): number {
  let words = 0;
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words++;
  return words;
}
