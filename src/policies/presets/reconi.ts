import type { PolicySettings } from '../policy-settings.ts';

/**
 * The Reconi responsible-disclosure policy (seed 002), rewritten for Haven, including its privacy
 * statement and all of its "rules of the game".
 */
export const presetReconi: PolicySettings = {
  introduction: {
    nl: '{{organisation}} wil veilige onlinediensten leveren. Ondanks alle zorg en inspanning kan er toch een kwetsbaarheid in onze systemen zitten. Heb je er verstand van en ontdek je er een? Help ons dan door haar te melden, zodat we samen de veiligheid en betrouwbaarheid van onze systemen verbeteren. Wacht daar niet mee: neem zo snel mogelijk contact met ons op. Je kunt alle problemen melden die te maken hebben met de beveiliging van de diensten die {{organisation}} via internet aanbiedt.',
    en: '{{organisation}} is committed to providing secure online services. Despite all our care and effort, a vulnerability may still turn up in our systems. Do you know what you are doing and have you discovered one? Then help us by reporting it, so that together we improve the security and reliability of our systems. Do not wait: contact us as soon as possible. You can report any problem related to the security of the services {{organisation}} offers over the internet.',
  },
  // "You can report problems related to the security of services Reconi offers over the Internet":
  // those services, not every system Reconi has.
  scope: {
    inScope: [
      {
        kind: 'other',
        target: 'Internet services',
        note: {
          nl: 'De diensten die {{organisation}} via internet aanbiedt.',
          en: 'The services {{organisation}} offers over the internet.',
        },
      },
    ],
    outOfScope: [],
    exclusions: [],
  },
  rules: {
    do: [
      {
        nl: 'Meld een kwetsbaarheid of zwakke plek zo snel mogelijk nadat je haar hebt gevonden.',
        en: 'Report a vulnerability or weakness as soon as possible after you find it.',
      },
      {
        nl: 'Beschrijf kort en bondig welke kwetsbaarheid je hebt gevonden: welke stappen je hebt gezet, de volledige URL, de IP-adressen en de objecten die erbij betrokken zijn, zoals invoervelden of filters. Screenshots zijn welkom.',
        en: 'Describe briefly and to the point which vulnerability you found: the steps you took, the full URL, the IP addresses and any objects involved, such as input fields or filters. Screenshots are welcome.',
      },
    ],
    // The rules of the game, one rule per item.
    dont: [
      {
        nl: 'Richt geen schade aan terwijl je de kwetsbaarheid onderzoekt.',
        en: 'Do not cause any damage while investigating the vulnerability.',
      },
      {
        nl: 'Gebruik geen social engineering om toegang tot een systeem te krijgen.',
        en: 'Do not use social engineering to gain access to a system.',
      },
      {
        nl: 'Je onderzoek mag in geen geval leiden tot een onderbreking van onze dienstverlening.',
        en: 'Under no circumstances may your research interrupt our services.',
      },
      {
        nl: 'Je onderzoek mag in geen geval leiden tot het openbaar worden van gegevens van onze organisatie of van onze klanten.',
        en: 'Under no circumstances may your research lead to the disclosure of information about our organisation or our clients.',
      },
      {
        nl: 'Plaats geen backdoor in een systeem, ook niet om de kwetsbaarheid aan te tonen.',
        en: 'Do not put a backdoor in a system, not even to demonstrate the vulnerability.',
      },
      {
        nl: 'Wijzig of verwijder geen gegevens in het systeem.',
        en: 'Do not modify or delete data in the system.',
      },
      {
        nl: 'Moet je voor je onderzoek gegevens uit het systeem kopiëren? Kopieer dan nooit meer dan nodig: is één record genoeg, ga dan niet verder.',
        en: 'If your research requires copying data from the system, never copy more than necessary: if one record is enough, stop there.',
      },
      { nl: 'Breng geen wijzigingen aan in het systeem.', en: 'Do not make any changes to the system.' },
      {
        nl: 'Dring een systeem niet vaker binnen dan nodig is.',
        en: 'Do not break into a system more often than necessary.',
      },
      {
        nl: 'Ben je een systeem binnengekomen, deel die toegang dan niet met anderen.',
        en: 'If you manage to get into a system, do not share that access with others.',
      },
      {
        nl: 'Gebruik geen brute-force-technieken, zoals herhaaldelijk wachtwoorden proberen, om toegang tot systemen te krijgen.',
        en: 'Do not use brute-force techniques, such as repeatedly trying passwords, to gain access to systems.',
      },
      {
        nl: 'Gebruik geen technieken die de beschikbaarheid van onze diensten kunnen aantasten.',
        en: 'Do not use techniques that may affect the availability of our services.',
      },
      {
        nl: 'Maak het probleem niet openbaar, maar overleg met onze specialisten en geef hun de tijd om het op te lossen.',
        en: 'Do not make the problem public; talk to our specialists instead and give them time to solve it.',
      },
    ],
    // "If you act in good faith, carefully and according to the stated ground rules, there is no
    // reason for Reconi to report you." The seed promises not to report the reporter, not more.
    safeHarbour: {
      nl: 'Tijdens je onderzoek kun je handelingen verrichten die strafbaar zijn. Handel je te goeder trouw, zorgvuldig en volgens de spelregels in dit beleid, dan heeft {{organisation}} geen reden om aangifte tegen je te doen.',
      en: 'While investigating, you may do things that are punishable by law. If you act in good faith, carefully and according to the rules of the game in this policy, {{organisation}} has no reason to report you to the authorities.',
    },
    privacy: {
      nl: 'We gebruiken je persoonsgegevens alleen om actie te ondernemen op je melding. We geven ze niet zonder jouw toestemming aan anderen, tenzij de wet ons verplicht ze af te staan of we een ander bedrijf inschakelen om je melding verder te onderzoeken. In dat laatste geval zorgen we er altijd voor dat dat bedrijf je gegevens net zo vertrouwelijk behandelt als wij. Ook dan blijven wij verantwoordelijk voor je gegevens.',
      en: 'We use your personal data only to act on your report. We do not pass it on to others without your permission, unless the law requires us to hand it over or we bring in another company to investigate your report further. In that case we always make sure that the company keeps your data just as confidential as we do, and we remain responsible for your data.',
    },
    other: [
      {
        nl: 'Je kunt anoniem melden: je hoeft je naam en contactgegevens niet op te geven. Houd er wel rekening mee dat we de vervolgstappen dan niet met je kunnen bespreken.',
        en: 'You can report anonymously: you do not have to give your name or contact details. Bear in mind that we will then not be able to discuss the next steps with you.',
      },
      {
        nl: 'Onze specialisten lezen je melding en gaan ermee aan de slag. In onze eerste reactie maken we met je afspraken over de vervolgstappen.',
        en: 'Our specialists read your report and get to work on it. In our first response we make arrangements with you about the next steps.',
      },
      {
        nl: 'Houd rekening met de wetgeving in je eigen land. Woon je in het buitenland, besef dan dat dit beleid niet in elk land geldt: ook als wij geen aangifte doen, kun je daar toch met de wet in aanraking komen.',
        en: 'Take the laws of your own country into account. If you live abroad, be aware that this policy does not apply in every country: even if we do not report you, you may still get into trouble with the law.',
      },
    ],
  },
  intake: {
    // "you do not have to give your name and contact information" (see the sentence in rules.other
    // about next steps). The seed does not mention aliases.
    identities: ['named', 'anonymous'],
    requiredContact: [],
    // "We can only accept reports written in Dutch or English."
    languages: ['nl', 'en'],
    requestedDetails: ['steps', 'urls', 'ip_addresses', 'objects', 'screenshots'],
    attachments: {
      // The seed asks for a brief e-mail and welcomes screen prints; it asks for no other files.
      allowed: ['text', 'image'],
      maxBytes: 10 * 1024 * 1024,
      maxFiles: 10,
      passwordProtectedAccepted: false,
      passwordChannel: 'none',
    },
    emails: [],
  },
  serviceLevels: {
    acknowledgement: null,
    // "You will be contacted within 2 business days with an initial response and to make
    // arrangements for the next steps."
    firstResponse: { amount: 2, unit: 'business_days' },
    assessment: null,
    // "give them time to solve the problem": no promise of when, or even that it will be solved.
    resolution: { kind: 'none' },
    mayDependOnSuppliers: false,
  },
  calendar: {
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'NL' },
  },
  // The first response makes arrangements; it promises no assessment or fix date.
  firstAssessment: { includesAssessment: false, includesExpectedFixDate: false },
  // The seed promises no progress updates; next steps are arranged in the first response.
  progressUpdates: { kind: 'none' },
  rewards: { kind: 'none' },
  credit: { hallOfFame: false, creditInAdvisories: false },
  disclosure: {
    defaultEmbargoDays: null,
    // "Do not make the problem public, but talk to our specialists and give them time to solve the
    // problem."
    publicationOnlyByAgreement: true,
    requiresAllPartiesInformed: false,
    requiresResolution: false,
    mayAgreeNeverToPublish: false,
    // The privacy statement keeps the reporter's *personal data* confidential (rules.privacy says so);
    // the seed makes no promise to keep the report itself confidential.
    confidential: false,
  },
  notifications: { clearTextAllowed: false },
};
