import type { PolicySettings } from '../policy-settings.ts';

/**
 * The eConnect responsible-disclosure policy (seed 000), rewritten for Haven. Every rule ("For you")
 * and promise ("For us") of the seed is a setting below or a sentence in the texts.
 */
export const presetEconnect: PolicySettings = {
  introduction: {
    nl: '{{organisation}} werkt voortdurend aan de beveiliging van het eConnect-platform en houdt het continu in de gaten. Vind je ondanks die maatregelen toch een kwetsbaarheid in het platform of in een van onze websites? Laat het ons meteen weten, dan kunnen we snel passende maatregelen nemen. We handelen elke melding af volgens de afspraken hieronder; door een kwetsbaarheid te melden, ga je met die afspraken akkoord.',
    en: '{{organisation}} keeps improving the security of the eConnect platform and monitors it continuously. Have you found a vulnerability in the platform or in one of our websites despite these measures? Let us know straight away, so we can take the right measures quickly. We handle every report according to the terms below; by reporting a vulnerability, you agree to these terms.',
  },
  scope: {
    // The seed names its systems only generically: "the eConnect platform and/or one of our websites".
    inScope: [
      {
        kind: 'application',
        target: 'eConnect platform',
        note: {
          nl: 'Het eConnect-platform van {{organisation}}.',
          en: 'The eConnect platform of {{organisation}}.',
        },
      },
      {
        kind: 'domain',
        target: 'Websites',
        note: {
          nl: 'Alle websites van {{organisation}}.',
          en: 'All websites of {{organisation}}.',
        },
      },
    ],
    outOfScope: [],
    exclusions: [],
  },
  rules: {
    do: [
      {
        nl: 'Meld de kwetsbaarheid zo snel mogelijk nadat je haar hebt ontdekt.',
        en: 'Report the vulnerability as soon as possible after you discover it.',
      },
      {
        nl: 'Beschrijf je bevindingen in platte tekst en gebruik screenshots om ze te verduidelijken. Stuur geen schermopnames en geen pdf-bestanden.',
        en: 'Describe your findings in plain text and use screenshots to illustrate them. Do not send screen recordings or PDF files.',
      },
      {
        nl: 'Geef genoeg informatie om het probleem na te bootsen, zodat we het zo snel mogelijk kunnen oplossen.',
        en: 'Give us enough information to reproduce the problem, so we can solve it as quickly as possible.',
      },
      {
        nl: 'Laat je contactgegevens achter, in elk geval een e-mailadres en een telefoonnummer, zodat we contact met je kunnen opnemen en samen met je kunnen werken aan een veilige uitkomst.',
        en: 'Leave your contact details, at least an e-mail address and a phone number, so we can get in touch and work with you towards a secure outcome.',
      },
    ],
    dont: [
      { nl: 'Maak geen misbruik van de kwetsbaarheid.', en: 'Do not exploit the vulnerability.' },
      { nl: 'Breng geen wijzigingen aan in het systeem.', en: 'Do not make any changes to the system.' },
      {
        nl: 'Deel de toegang tot het systeem nooit met anderen.',
        en: 'Never share access to the system with anyone else.',
      },
    ],
    safeHarbour: {
      nl: 'Houd je je aan alle voorwaarden in dit beleid, dan ondernemen we geen juridische stappen tegen je. Blijkt dat je een of meer van deze voorwaarden hebt overtreden, dan kunnen we alsnog besluiten wel juridische stappen tegen je te nemen.',
      en: 'If you comply with all the conditions in this policy, we will not take legal action against you. If it turns out that you have broken any of these conditions, we may still decide to take legal action against you.',
    },
    // The seed has no privacy section; this only restates what it does promise: reports are always
    // confidential, and contact details are asked for so that the team can work with the reporter.
    privacy: {
      nl: 'We behandelen je melding, en de contactgegevens die je daarbij opgeeft, altijd vertrouwelijk. We vragen om je contactgegevens zodat we met je kunnen overleggen over je melding.',
      en: 'We always treat your report, and the contact details you give with it, confidentially. We ask for your contact details so that we can discuss your report with you.',
    },
    other: [
      {
        nl: 'Soms kan informatie over de kwetsbaarheid openbaar worden gemaakt, bijvoorbeeld als een (nog onbekende) kwetsbaarheid waarschijnlijk ook op andere plekken voorkomt, of als ze in software van een van onze leveranciers zit. Dat gebeurt altijd in overleg met jou en volgens de afspraken die we daarover maken.',
        en: 'In some cases information about the vulnerability may be made public, for example when a (not yet known) vulnerability is likely to exist in other places too, or when it is in software from one of our suppliers. This is always done in consultation with you and according to the agreements we make about it.',
      },
      {
        nl: 'Je blijft altijd zelf verantwoordelijk voor je eigen handelen.',
        en: 'You always remain responsible for your own actions.',
      },
      {
        nl: 'We hebben capaciteit vrijgemaakt om goed te kunnen reageren op de meldingen die we ontvangen.',
        en: 'We have set aside capacity to respond properly to the reports we receive.',
      },
    ],
  },
  intake: {
    // "At least be sure to include an email address and phone number": contact details are
    // compulsory, so anonymous reports do not fit this policy. The seed asks for a way to reach the
    // reporter, not for a real name: a report under an alias with those details is fine.
    identities: ['named', 'alias'],
    requiredContact: ['email', 'phone'],
    // The seed does not limit the language of a report: empty means any language.
    languages: [],
    // "Provide enough information so that we can reproduce the problem"; "use plaintext and screenshots".
    requestedDetails: ['steps', 'screenshots'],
    attachments: {
      // "Do not use screen recordings or pdf files, please use plaintext and screenshots."
      allowed: ['text', 'image'],
      maxBytes: 10 * 1024 * 1024,
      maxFiles: 10,
      passwordProtectedAccepted: false,
      passwordChannel: 'none',
    },
    emails: [],
  },
  serviceLevels: {
    // "We will send you an (automatic) confirmation of receipt within 1 working day."
    acknowledgement: { amount: 1, unit: 'business_days' },
    // The "more substantive response ... with an (initial) assessment" comes with no deadline.
    firstResponse: null,
    assessment: null,
    // "never take longer than 30 days to resolve the problem. We may be dependent on suppliers."
    // "30 days" without qualifier: calendar days.
    resolution: { kind: 'fixed', within: { amount: 30, unit: 'calendar_days' } },
    mayDependOnSuppliers: true,
  },
  calendar: {
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'NL' },
  },
  // "a more substantive response to your report with an (initial) assessment of the report and
  // possibly an expected date for a solution."
  firstAssessment: { includesAssessment: true, includesExpectedFixDate: true },
  // "we aim to keep you well informed of progress" / "We will keep you informed of the progress of
  // the process": no cadence is named, so updates come at milestones rather than a made-up
  // interval; the 30-day resolution limit already bounds how long a case stays open.
  progressUpdates: { kind: 'milestones' },
  rewards: {
    kind: 'discretionary',
    dependsOnSeverity: true,
    dependsOnReportQuality: true,
    note: {
      nl: 'Als dank voor je hulp kunnen we je een beloning aanbieden. Hoe groot die is, hangt af van de ernst van het beveiligingsprobleem en van de kwaliteit van je melding.',
      en: 'We may offer you a reward for your help. Its size depends on how serious the security problem is and on the quality of your report.',
    },
  },
  // The seed says nothing about naming reporters, either way: the page says nothing about it.
  credit: { hallOfFame: false, creditInAdvisories: false },
  disclosure: {
    defaultEmbargoDays: null,
    // Publication happens only in certain cases, "always ... in consultation and in accordance with
    // the agreements made".
    publicationOnlyByAgreement: true,
    requiresAllPartiesInformed: false,
    requiresResolution: false,
    mayAgreeNeverToPublish: false,
    // "We always treat reports confidentially."
    confidential: true,
  },
  notifications: { clearTextAllowed: false },
};
