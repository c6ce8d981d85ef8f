import assert from 'node:assert/strict';
import { InputError } from '../../src/api/errors.ts';
import { identityProblem, normalizeIdentity, sameIdentity } from '../../src/identity/normalize.ts';
import { isMember, samePerson, toPrincipal } from '../../src/policy/roles.ts';

describe('identity normalization', () => {
  it('normalizes look-alike forms with NFKC and compares without case', () => {
    assert.equal(normalizeIdentity('\uff41\uff4c\uff49\uff43\uff45'), 'alice'); // fullwidth
    assert.equal(normalizeIdentity('\ufb01nn'), 'finn'); // ligature
    assert.ok(sameIdentity('Alice', 'alice'));
    assert.ok(sameIdentity('U0ALICE', '\uff35\uff10\uff21\uff2c\uff29\uff23\uff25'));
    assert.ok(!sameIdentity('alice', 'alicia'));
  });

  it('refuses whitespace, control, zero-width and bidi characters anywhere', () => {
    const bad = [
      '',
      ' alice',
      'alice ',
      'al ice',
      '\talice',
      'alice\n',
      'ali\u200bce', // zero-width space
      'alice\u200c', // zero-width non-joiner
      'alice\u200d', // zero-width joiner
      '\ufeffalice', // BOM
      'alice\u2060', // word joiner
      '\u202ealice', // right-to-left override
      'alice\u00a0', // no-break space
      'alice\u3000', // ideographic space
      'alice\u0000',
      'alice\u007f',
      'alice\u3164', // Hangul filler (renders blank)
    ];
    for (const text of bad) {
      assert.ok(identityProblem(text), JSON.stringify(text));
      assert.throws(() => normalizeIdentity(text), InputError, JSON.stringify(text));
      assert.ok(!sameIdentity(text, 'alice'), `${JSON.stringify(text)} is never alice`);
    }
  });

  it('a refused identity cannot be a principal, a member or a requester', () => {
    assert.throws(() => toPrincipal(' alice'), /refused actor/);
    assert.throws(() => toPrincipal({ id: 'UBOB', groups: ['S0\u200bSRE'] }), /refused user group/);
    assert.throws(() => samePerson('alice', 'alice\u200b'), /refused actor/);
    assert.throws(() => isMember(['alice'], '\u200balice'), /refused actor/);
  });

  it('roles match IDs and groups, never display names; qualified members need their org', () => {
    assert.ok(isMember(['U0ALICE'], { id: 'u0alice' }));
    assert.ok(isMember(['S0SRE'], { id: 'UBOB', groups: ['S0SRE'] }));
    assert.ok(!isMember(['alice'], { id: 'UMALLORY', name: 'alice' }), 'a display name is not an identity');
    assert.ok(isMember(['E01:UBOB'], { id: 'UBOB', org: 'E01' }));
    assert.ok(!isMember(['E01:UBOB'], { id: 'UBOB', org: 'E02' }));
    assert.ok(!isMember(['E01:UBOB'], { id: 'UBOB' }));
    // "ubob" (a user_name) is not UBOB's identity — but the same ID in any case is.
    assert.ok(!samePerson({ id: 'UMALLORY', name: 'ubob' }, { id: 'UBOB' }));
    assert.ok(samePerson({ id: 'UBOB', org: 'T1' }, { id: 'UBOB', org: 'T2' }), 'refusals hold across orgs');
  });
});
