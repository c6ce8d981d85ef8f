import assert from 'node:assert/strict';
import { compileGlob, hasWildcard, matchGlob } from '../src/glob.ts';
import { prng } from './fuzz.ts';

/** The old way, as an oracle on inputs small enough for a backtracking engine. */
function viaRegExp(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su').test(value);
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

  it('fuzz: 3,000 generated pathological patterns against names up to 10,000 characters, each quick', () => {
    const random = prng(99);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
    let worst = 0;
    let matched = 0;
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: 1 + Math.floor(random() * 120) }, () =>
        pick(['*', '*', '?', 'a', 'a', 'b', '*a', '?*', '\u202e', '\x1b']),
      ).join('');
      const name = Array.from({ length: pick([35, 60, 1000, 10_000]) }, () =>
        random() < 0.97 ? 'a' : pick(['b', 'c']),
      ).join('');
      const fold = random() < 0.5;
      const started = performance.now();
      if (matchGlob(pattern, name, { caseInsensitive: fold })) matched++;
      worst = Math.max(worst, performance.now() - started);
    }
    console.log(`      glob fuzz: 3000 patterns, ${matched} matched, worst ${worst.toFixed(1)} ms`);
    assert.ok(worst < 250, `worst ${worst.toFixed(0)} ms`);
  });

  it('one compiled pattern over 5,000 names stays fast', () => {
    const matches = compileGlob(`${'*?'.repeat(16)}!`, { caseInsensitive: true });
    const names = Array.from({ length: 5000 }, (_, i) => `web-${i}-${'x'.repeat(30)}`);
    const ms = timed(() => assert.equal(names.filter(matches).length, 0));
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  });
});
