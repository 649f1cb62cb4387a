import type { PolicySettings } from '../policy-settings.ts';

/**
 * A policy in the style most Dutch organisations use: the example policy by Floor Terra, in line
 * with the NCSC guideline "Coordinated Vulnerability Disclosure: de leidraad". Haven's default for a
 * new organisation.
 */
export const presetNcscNl: PolicySettings = {
  introduction: {
    nl: '{{organisation}} vindt de veiligheid van haar systemen erg belangrijk. Toch kan er, ondanks al onze zorg, een zwakke plek in zitten. Heb je een kwetsbaarheid in een van onze systemen gevonden, laat het ons dan weten, zodat we zo snel mogelijk maatregelen kunnen nemen. We werken graag met je samen om onze gebruikers en systemen beter te beschermen. Dit beleid geldt voor de systemen van {{organisation}} die via internet bereikbaar zijn en volgt de leidraad Coordinated Vulnerability Disclosure van het Nationaal Cyber Security Centrum (NCSC).',
    en: '{{organisation}} takes the security of its systems very seriously. Even so, despite all our care, a weak spot may remain. If you have found a vulnerability in one of our systems, please tell us, so that we can take measures as soon as possible. We want to work with you to better protect our users and our systems. This policy covers the internet-facing systems of {{organisation}} and follows the Coordinated Vulnerability Disclosure guideline of the Dutch National Cyber Security Centre (NCSC).',
  },
  // The introduction limits the policy to internet-facing systems; an empty list would make the
  // page say it covers all systems and services.
  scope: {
    inScope: [
      {
        kind: 'other',
        target: 'Internet-facing systems',
        note: {
          nl: 'De systemen van {{organisation}} die via internet bereikbaar zijn.',
          en: 'The systems of {{organisation}} that can be reached over the internet.',
        },
      },
    ],
    outOfScope: [],
    exclusions: [],
  },
  rules: {
    do: [
      {
        nl: 'Meld je bevinding zo snel mogelijk nadat je haar hebt ontdekt.',
        en: 'Report your finding as soon as possible after you discover it.',
      },
      {
        nl: 'Geef genoeg informatie om het probleem na te bootsen, zodat we het zo snel mogelijk kunnen oplossen. Meestal zijn het IP-adres of de URL van het getroffen systeem en een beschrijving van de kwetsbaarheid voldoende; bij complexere kwetsbaarheden kan er meer nodig zijn.',
        en: 'Give enough information for us to reproduce the problem, so we can solve it as quickly as possible. Usually the IP address or URL of the affected system and a description of the vulnerability are enough; more complex vulnerabilities may need more.',
      },
      {
        nl: 'Wis alle vertrouwelijke gegevens die je via de kwetsbaarheid hebt verkregen zodra het lek is gedicht.',
        en: 'Delete all confidential data you obtained through the vulnerability as soon as the leak has been closed.',
      },
    ],
    dont: [
      {
        nl: 'Maak geen misbruik van de kwetsbaarheid: download of kopieer niet meer gegevens dan nodig is om haar aan te tonen.',
        en: 'Do not abuse the vulnerability: do not download or copy more data than you need to demonstrate it.',
      },
      {
        nl: 'Bekijk, wijzig of verwijder geen gegevens van anderen of in het systeem.',
        en: "Do not view, change or delete other people's data or any data in the system.",
      },
      {
        nl: 'Plaats geen backdoor in een systeem, ook niet om de kwetsbaarheid aan te tonen.',
        en: 'Do not put a backdoor in a system, not even to demonstrate the vulnerability.',
      },
      {
        nl: 'Deel de kwetsbaarheid niet met anderen totdat het probleem is opgelost.',
        en: 'Do not share the vulnerability with others until the problem has been solved.',
      },
      { nl: 'Val de fysieke beveiliging niet aan.', en: 'Do not attack physical security.' },
      { nl: 'Gebruik geen social engineering.', en: 'Do not use social engineering.' },
      {
        nl: 'Voer geen distributed-denial-of-service-aanvallen (DDoS) uit.',
        en: 'Do not carry out distributed denial-of-service (DDoS) attacks.',
      },
      { nl: 'Verstuur geen spam.', en: 'Do not send spam.' },
      { nl: 'Val geen applicaties van derden aan.', en: 'Do not attack third-party applications.' },
    ],
    safeHarbour: {
      nl: 'Houd je je aan deze voorwaarden, dan nemen we naar aanleiding van je melding geen juridische stappen tegen je.',
      en: 'If you keep to these conditions, we will not take legal action against you in connection with your report.',
    },
    privacy: {
      nl: 'We behandelen je melding vertrouwelijk. We delen je persoonsgegevens niet zonder jouw toestemming met derden, tenzij dat nodig is om aan een wettelijke verplichting te voldoen. Je mag ook onder een pseudoniem melden.',
      en: 'We treat your report confidentially. We do not share your personal details with third parties without your permission, unless this is necessary to meet a legal obligation. You may also report under an alias.',
    },
    other: [
      {
        nl: 'We streven ernaar elk probleem zo snel mogelijk op te lossen.',
        en: 'We aim to solve every problem as quickly as possible.',
      },
      {
        nl: 'We worden graag betrokken bij een eventuele publicatie over het probleem, nadat het is opgelost.',
        en: 'We would like to be involved in any publication about the problem once it has been solved.',
      },
    ],
  },
  intake: {
    // The template: "Melden onder een pseudoniem is mogelijk."
    identities: ['named', 'alias'],
    // An e-mail address (an alias's will do) so that the team can answer within 3 days and keep the
    // reporter informed.
    requiredContact: ['email'],
    languages: [],
    // "Usually the IP address or URL of the affected system and a description of the vulnerability".
    requestedDetails: ['steps', 'urls', 'ip_addresses'],
    attachments: {
      // The template says nothing about files: Haven's neutral default.
      allowed: ['text', 'image', 'pdf'],
      maxBytes: 10 * 1024 * 1024,
      maxFiles: 10,
      passwordProtectedAccepted: false,
      passwordChannel: 'none',
    },
    emails: [],
  },
  serviceLevels: {
    // The template makes no separate promise about a confirmation of receipt.
    acknowledgement: null,
    // "Wij reageren binnen 3 dagen op je melding met onze beoordeling van de melding en een verwachte
    // datum voor een oplossing." Floor Terra's original says "3 dagen"; many organisations that use
    // it write "3 werkdagen", and Haven counts working days too (the calendar below).
    // The reaction is the assessment, so both clocks run to the same date.
    firstResponse: { amount: 3, unit: 'business_days' },
    assessment: { amount: 3, unit: 'business_days' },
    // "Wij streven er naar om alle problemen zo snel mogelijk op te lossen": no fixed term. (The 60
    // days often quoted come from the NCSC guideline's disclosure practice, not from this template.)
    resolution: { kind: 'none' },
    mayDependOnSuppliers: false,
  },
  calendar: {
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'NL' },
  },
  firstAssessment: { includesAssessment: true, includesExpectedFixDate: true },
  // "Wij houden je op de hoogte van de voortgang van het oplossen van het probleem": no cadence, so
  // at milestones.
  progressUpdates: { kind: 'milestones' },
  // Floor Terra's template offers a reward (a gift voucher of at least €50); a preset should not
  // commit an organisation to paying, so the organisation opts in itself.
  rewards: { kind: 'none' },
  // "In berichtgeving over het gemelde probleem zullen wij, indien je dit wenst, je naam vermelden als
  // de ontdekker." The hall of fame gives the same credit on the policy page, again only if wished.
  credit: { hallOfFame: true, creditInAdvisories: true },
  disclosure: {
    defaultEmbargoDays: null,
    // Publication in consultation, after the problem is solved; the reporter does not share the
    // problem before that.
    publicationOnlyByAgreement: true,
    requiresAllPartiesInformed: false,
    requiresResolution: true,
    mayAgreeNeverToPublish: false,
    confidential: true,
  },
  notifications: { clearTextAllowed: false },
};
