import assert from 'node:assert/strict';
import { compileGlob, hasWildcard, matchGlob } from '../src/glob.ts';

/** The old way, as an oracle on inputs small enough for a backtracking engine. */
function viaRegExp(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su').test(value);
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('glob', () => {
  it('matches * and ? and nothing else as wildcards', () => {
    assert.ok(matchGlob('web-*', 'web-1'));
    assert.ok(matchGlob('web-?', 'web-1'));
    assert.ok(!matchGlob('web-?', 'web-12'));
    assert.ok(matchGlob('*', ''));
    assert.ok(!matchGlob('?', ''));
    assert.ok(matchGlob('a*b*c', 'aXXbYYc'));
    assert.ok(!matchGlob('a*b*c', 'aXXcYYb'));
    assert.ok(matchGlob('cvm:Terminate.(x)+[', 'cvm:Terminate.(x)+['), 'regex characters are literal');
    assert.ok(!matchGlob('a.c', 'abc'));
    assert.ok(matchGlob('?', '😀'), 'one character, even outside the BMP');
    assert.ok(matchGlob('line*', 'line1\nline2'));
    assert.ok(matchGlob('CVM:stop*', 'cvm:StopInstances', { caseInsensitive: true }));
    assert.ok(!matchGlob('CVM:stop*', 'cvm:StopInstances'));
    assert.ok(hasWildcard('a?') && hasWildcard('*') && !hasWildcard('plain'));
  });

  it('agrees with the regular expression it replaces on 20,000 generated cases', () => {
    const random = prng(12);
    const alphabet = ['a', 'b', 'A', '*', '?', '.', '-', 'é'];
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const pattern = Array.from({ length: Math.floor(random() * 7) }, () => alphabet[Math.floor(random() * 8)]).join(
        '',
      );
      const value = Array.from({ length: Math.floor(random() * 8) }, () => 'abAé.-'[Math.floor(random() * 6)]).join('');
      const fold = random() < 0.5;
      const got = matchGlob(pattern, value, { caseInsensitive: fold });
      assert.equal(got, viaRegExp(pattern, value, fold), `${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`);
      if (got) matched++;
    }
    assert.ok(matched > 1000, `both outcomes reached (${matched} matched)`);
  });

  it('answers the patterns that froze the process in well under a second', () => {
    const cases: [string, string][] = [
      [`${'*?'.repeat(16)}!`, 'a-perfectly-ordinary-instance-name'], // 37 s before
      [`${'*a'.repeat(8)}*b`, 'a'.repeat(60)], // 33 s before
      [`${'*a'.repeat(200)}*b`, 'a'.repeat(10_000)],
      [`${'*?'.repeat(500)}!`, 'x'.repeat(10_000)],
      [`*${'a'.repeat(500)}b*`, 'a'.repeat(10_000)],
    ];
    for (const [pattern, name] of cases) {
      for (const fold of [false, true]) {
        const ms = timed(() => assert.equal(matchGlob(pattern, name, { caseInsensitive: fold }), false));
        assert.ok(ms < 250, `${pattern.slice(0, 20)}… took ${ms.toFixed(0)} ms`);
      }
    }
  });

  it('one compiled pattern over 5,000 names stays fast', () => {
    const matches = compileGlob(`${'*?'.repeat(16)}!`, { caseInsensitive: true });
    const names = Array.from({ length: 5000 }, (_, i) => `web-${i}-${'x'.repeat(30)}`);
    const ms = timed(() => assert.equal(names.filter(matches).length, 0));
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  });
});
