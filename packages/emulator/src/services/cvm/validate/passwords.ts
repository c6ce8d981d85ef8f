/**
 * Password rules, each action from its own page (domain.md §9.4: the pages disagree):
 * - LoginSettings (RunInstances, ResetInstance, their price inquiries), 000:20449: Linux 10 to 30 characters with
 *   three of lower case, upper case, digits, symbols. The page says nothing of Windows nor of a leading '/': there
 *   the guide's rule holds (000:6267-6268): Windows 12 to 30, three classes; neither may start with '/'.
 * - ResetInstancesPassword, 000:17963: Linux 8 to 16 with two of letters, digits, symbols; Windows 12 to 16 with
 *   three of lower case, upper case, digits, symbols; neither starts with '/'; a batch with both follows Windows.
 * The lengths both OSes share are catalog rules (the client checks them too); what needs the OS is checked here.
 */
import { type Refusal, refusal, refuse } from '../../refusals.ts';

const SYMBOLS = /[()`~!@#$%^&*\-+=_|{}[\]:;'<>,.?/\\ "]/;

/** How many of lower case, upper case, digits and symbols the password has. */
function fourClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, SYMBOLS].filter((re) => re.test(password)).length;
}

/** How many of letters, digits and symbols (ResetInstancesPassword's Linux rule counts letters as one class). */
function threeClasses(password: string): number {
  return [/[A-Za-z]/, /[0-9]/, SYMBOLS].filter((re) => re.test(password)).length;
}

interface Policy {
  min: number;
  max: number;
  classes: number;
  count: (password: string) => number;
  classNames: string;
  refusal: Refusal;
}

const FOUR = 'lower case, upper case, digits, symbols';

function policies(action: string, linux: [string, Policy['min'], Policy['max']], windows: [string, number, number]) {
  const make = (os: 'Linux' | 'Windows', [source, min, max]: [string, number, number], reset: boolean): Policy => {
    const twoOfThree = reset && os === 'Linux';
    return {
      min,
      max,
      classes: twoOfThree ? 2 : 3,
      count: twoOfThree ? threeClasses : fourClasses,
      classNames: twoOfThree ? 'letters, digits, symbols' : FOUR,
      refusal: refusal({
        source,
        service: 'cvm',
        action,
        code: 'InvalidPassword',
        says: `${os} password ${min} to ${max}, ${twoOfThree ? 'two' : 'three'} character classes`,
      }),
    };
  };
  const reset = action === 'ResetInstancesPassword';
  return { linux: make('Linux', linux, reset), windows: make('Windows', windows, reset) };
}

const LOGIN_SETTINGS = Object.fromEntries(
  ['RunInstances', 'ResetInstance', 'InquiryPriceRunInstances'].map((action) => [
    action,
    policies(action, ['000:20449', 10, 30], ['000:6268', 12, 30]),
  ]),
);
const RESET_PASSWORD = policies('ResetInstancesPassword', ['000:17963', 8, 16], ['000:17963', 12, 16]);

/** Refuses a password the action's page does not allow for this OS (InvalidPassword); never repeats it. */
export function checkPasswordFor(action: string, password: string, windows: boolean): void {
  const set =
    action === 'ResetInstancesPassword' ? RESET_PASSWORD : (LOGIN_SETTINGS[action] ?? LOGIN_SETTINGS.RunInstances!);
  const policy = windows ? set.windows : set.linux;
  const os = windows ? 'Windows' : 'Linux';
  if (
    password.length < policy.min ||
    password.length > policy.max ||
    policy.count(password) < policy.classes ||
    password.startsWith('/')
  ) {
    refuse(
      policy.refusal,
      `a ${os} password takes ${policy.min} to ${policy.max} characters with at least ${policy.classes} of: ${policy.classNames}, and may not start with '/'`,
    );
  }
}
