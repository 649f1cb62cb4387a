import type { PolicySettings } from '../policy-settings.ts';

/**
 * The 9292 responsible-disclosure policy (seed 004), rewritten for Haven. The seed is based on Floor
 * Terra's example policy, but drops its fix date, progress updates and reward, and adds the
 * password-protected document and the disclosure conditions.
 */
export const preset9292: PolicySettings = {
  introduction: {
    nl: 'Bij {{organisation}} vinden we de veiligheid van onze systemen belangrijk. Hoe zorgvuldig we ze ook beveiligen, er kan toch een zwakke plek in zitten. Heb je een zwakke plek in een van onze systemen gevonden, dan horen we dat graag, zodat we zo snel mogelijk maatregelen kunnen nemen. We werken graag met je samen om onze klanten en onze systemen beter te beschermen. Dit beleid geldt voor alle systemen van {{organisation}}.',
    en: 'At {{organisation}} we care about the security of our systems. However carefully we protect them, a weak spot may still occur. If you have found a weak spot in one of our systems, we would like to hear about it, so that we can take measures as soon as possible. We want to work with you to better protect our clients and our systems. This policy covers all systems of {{organisation}}.',
  },
  // The seed speaks of "one of our systems" without naming any: the introduction says so.
  scope: { inScope: [], outOfScope: [], exclusions: [] },
  rules: {
    do: [
      {
        nl: 'Stuur ons je bevindingen en je contactgegevens. Zet je bevindingen in een document dat met een wachtwoord is beveiligd; onze servicedesk vraagt je daarna om het wachtwoord per sms te sturen.',
        en: 'Send us your findings and your contact details. Put your findings in a password-protected document; our service desk will then ask you to send the password by text message.',
      },
      {
        nl: 'Geef genoeg informatie om het probleem na te bootsen, zodat we het zo snel mogelijk kunnen oplossen. Meestal zijn het IP-adres of de URL van het getroffen systeem en een beschrijving van de kwetsbaarheid genoeg, maar bij complexere kwetsbaarheden kan er meer nodig zijn.',
        en: 'Give enough information for us to reproduce the problem, so we can solve it as soon as possible. Usually the IP address or URL of the affected system and a description of the vulnerability are enough, but more complex vulnerabilities may need more.',
      },
      {
        nl: 'Wis alle vertrouwelijke gegevens die je via het lek hebt verkregen direct nadat het lek is gedicht.',
        en: 'Delete all confidential data you obtained through the leak immediately after the leak has been closed.',
      },
    ],
    dont: [
      {
        nl: 'Maak geen misbruik van het probleem, bijvoorbeeld door meer gegevens te downloaden dan nodig is om het lek aan te tonen.',
        en: 'Do not abuse the problem, for example by downloading more data than you need to demonstrate the leak.',
      },
      {
        nl: 'Bekijk, verwijder of wijzig geen gegevens van anderen.',
        en: "Do not view, delete or change other people's data.",
      },
      {
        nl: 'Deel het probleem niet met anderen totdat het is opgelost.',
        en: 'Do not share the problem with others until it has been solved.',
      },
      { nl: 'Val de fysieke beveiliging niet aan.', en: 'Do not attack physical security.' },
      { nl: 'Gebruik geen social engineering.', en: 'Do not use social engineering.' },
      {
        nl: 'Voer geen distributed-denial-of-service-aanvallen (DDoS) uit.',
        en: 'Do not carry out distributed denial-of-service (DDoS) attacks.',
      },
      { nl: 'Verstuur geen spam.', en: 'Do not send spam.' },
      { nl: 'Val geen applicaties van anderen aan.', en: "Do not attack other parties' applications." },
    ],
    safeHarbour: {
      nl: 'Heb je je aan de voorwaarden in dit beleid gehouden, dan nemen we naar aanleiding van je melding geen juridische stappen tegen je.',
      en: 'If you have kept to the conditions in this policy, we will not take legal action against you in connection with your report.',
    },
    privacy: {
      nl: 'We behandelen je melding vertrouwelijk en delen je persoonsgegevens niet zonder jouw toestemming met anderen, tenzij dat nodig is om aan een wettelijke verplichting te voldoen. Je kunt ook onder een pseudoniem melden.',
      en: 'We treat your report confidentially and do not share your personal details with others without your permission, unless this is necessary to meet a legal obligation. You can also report under an alias.',
    },
    other: [
      {
        nl: 'Spreken jij en {{organisation}} af de kwetsbaarheid openbaar te maken, dan doe je dat pas als alle betrokken organisaties goed zijn geïnformeerd en hebben laten weten dat de kwetsbaarheid is opgelost, en altijd volgens de afspraken die we hebben gemaakt.',
        en: 'If you and {{organisation}} agree to make the vulnerability public, you will not do so until every organisation involved has been properly informed and has said that the vulnerability is solved, and always according to the agreements we made.',
      },
      {
        nl: 'Is een kwetsbaarheid niet of moeilijk op te lossen, of brengt de oplossing hoge kosten met zich mee, dan kunnen jij en {{organisation}} afspreken haar niet openbaar te maken.',
        en: 'If a vulnerability cannot be solved, is difficult to solve or would be very costly to solve, you and {{organisation}} can agree not to make it public.',
      },
    ],
  },
  intake: {
    // "Notifying under an alias is possible."
    identities: ['named', 'alias'],
    // "mail your findings and your contact details": an e-mail address (possibly an alias's) is the
    // contact that is always needed. A phone number is not required: the reporter texts the password
    // when the service desk asks for it.
    requiredContact: ['email'],
    languages: [],
    // "Usually the IP address or URL of the affected system and a description of its vulnerability
    // suffices" and "sufficient information to reproduce the problem".
    requestedDetails: ['steps', 'urls', 'ip_addresses'],
    attachments: {
      // "Put your findings in a document protected with a password": documents and archives that
      // can carry a password, as well as plain text and images.
      allowed: ['text', 'image', 'pdf', 'office', 'archive'],
      maxBytes: 10 * 1024 * 1024,
      maxFiles: 10,
      passwordProtectedAccepted: true,
      // "the service desk will ask you to send your password by text".
      passwordChannel: 'sms',
    },
    emails: [],
  },
  serviceLevels: {
    acknowledgement: null,
    // "We will react within 20 days of your notification with our assessment of the notification."
    // "20 days" without qualifier: calendar days. The reaction is the assessment, so both clocks
    // run to the same date.
    firstResponse: { amount: 20, unit: 'calendar_days' },
    assessment: { amount: 20, unit: 'calendar_days' },
    resolution: { kind: 'none' },
    mayDependOnSuppliers: false,
  },
  calendar: {
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'NL' },
  },
  // The reaction carries "our assessment"; unlike Floor Terra's template, the seed promises no
  // expected date for a solution.
  firstAssessment: { includesAssessment: true, includesExpectedFixDate: false },
  // Floor Terra's template keeps the reporter informed of progress; the seed drops that promise.
  progressUpdates: { kind: 'none' },
  rewards: { kind: 'none' },
  // "In reporting the notified problem we will mention your name as the discoverer if you wish":
  // credit in the publication only; the seed keeps no hall of fame.
  credit: { hallOfFame: false, creditInAdvisories: true },
  disclosure: {
    defaultEmbargoDays: null,
    // "If notifier and 9292 agree to make the vulnerability public, a notifier will not make it public
    // until all organizations involved have been well informed and indicate that the vulnerability
    // has been solved."
    publicationOnlyByAgreement: true,
    requiresAllPartiesInformed: true,
    requiresResolution: true,
    // "notifier and 9292 can agree to refrain from making the vulnerability public."
    mayAgreeNeverToPublish: true,
    // "We will treat your notification confidentially."
    confidential: true,
  },
  notifications: { clearTextAllowed: false },
};
