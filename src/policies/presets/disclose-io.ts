import type { PolicySettings } from '../policy-settings.ts';

/**
 * A vulnerability disclosure policy after the disclose.io core terms (VDP), with their full safe
 * harbour: authorisation under anti-hacking and anti-circumvention laws, a waiver of the terms of
 * service for research, and a statement of good faith.
 */
export const presetDiscloseIo: PolicySettings = {
  introduction: {
    nl: '{{organisation}} stelt feedback van beveiligingsonderzoekers en het publiek op prijs: zo kunnen we onze beveiliging verbeteren. Denk je een kwetsbaarheid, een privacyprobleem, gelekte gegevens of een ander beveiligingsprobleem in een van onze systemen te hebben gevonden? Dan horen we dat graag. In dit beleid lees je hoe je een kwetsbaarheid bij ons meldt, wat we van je verwachten en wat jij van ons kunt verwachten.',
    en: '{{organisation}} welcomes feedback from security researchers and the public to help us improve our security. If you believe you have found a vulnerability, a privacy issue, exposed data or another security issue in any of our assets, we want to hear from you. This policy explains how to report a vulnerability to us, what we expect from you and what you can expect from us.',
  },
  scope: {
    inScope: [
      {
        kind: 'other',
        target: 'All digital assets',
        note: {
          nl: 'Alle digitale middelen die {{organisation}} bezit, beheert of onderhoudt.',
          en: 'Every digital asset owned, operated or maintained by {{organisation}}.',
        },
      },
    ],
    outOfScope: [
      {
        kind: 'other',
        target: 'Third-party assets',
        note: {
          nl: 'Systemen en apparatuur die niet in handen zijn van een partij die aan dit beleid deelneemt.',
          en: 'Assets and equipment not owned by a party taking part in this policy.',
        },
      },
    ],
    exclusions: [],
  },
  rules: {
    do: [
      {
        nl: 'Houd je aan de regels: aan dit beleid en aan andere afspraken die van toepassing zijn. Spreken dit beleid en andere voorwaarden elkaar tegen, dan gaat dit beleid voor.',
        en: 'Play by the rules: follow this policy and any other agreements that apply. Where this policy and other terms conflict, this policy prevails.',
      },
      {
        nl: 'Meld elke kwetsbaarheid die je vindt zo snel mogelijk.',
        en: 'Report any vulnerability you find promptly.',
      },
      {
        nl: 'Bespreek informatie over kwetsbaarheden met ons alleen via de officiële kanalen van dit beleid.',
        en: "Discuss vulnerability information with us only through this policy's official channels.",
      },
      {
        nl: 'Geef ons redelijk de tijd om het probleem op te lossen voordat je het openbaar maakt: ten minste 90 dagen na je eerste melding.',
        en: 'Give us a reasonable amount of time to resolve the issue before you disclose it publicly: at least 90 days from your first report.',
      },
      {
        nl: 'Test alleen systemen die binnen de scope vallen, en respecteer systemen en activiteiten die erbuiten vallen.',
        en: 'Test only systems in scope, and respect the systems and activities that are out of scope.',
      },
      {
        nl: 'Geeft een kwetsbaarheid je onbedoeld toegang tot gegevens, bekijk dan niet meer dan nodig is om het probleem overtuigend aan te tonen. Kom je tijdens het testen gegevens van gebruikers tegen, zoals persoonsgegevens, medische gegevens, creditcardgegevens of bedrijfsvertrouwelijke informatie, stop dan met testen en meld het meteen.',
        en: 'If a vulnerability gives you unintended access to data, access no more than you need to demonstrate the problem convincingly. If you come across user data while testing, such as personal data, health data, card data or proprietary information, stop testing and report it straight away.',
      },
      {
        nl: 'Gebruik alleen testaccounts die van jou zijn, of accounts waarvoor je uitdrukkelijke toestemming van de houder hebt.',
        en: 'Interact only with test accounts you own, or with accounts whose holder has given you explicit permission.',
      },
      {
        nl: 'Twijfel je of je onderzoek binnen dit beleid valt, meld het dan via een van de officiële kanalen voordat je verdergaat.',
        en: 'If you are unsure whether your research is consistent with this policy, report it through one of the official channels before going any further.',
      },
    ],
    dont: [
      {
        nl: 'Schend de privacy van anderen niet.',
        en: 'Do not violate the privacy of others.',
      },
      {
        nl: 'Verstoor onze systemen niet en tast de ervaring van onze gebruikers niet aan.',
        en: 'Do not disrupt our systems or harm the experience of our users.',
      },
      { nl: 'Vernietig geen gegevens.', en: 'Do not destroy data.' },
      { nl: 'Probeer ons niet af te persen.', en: 'Do not engage in extortion.' },
    ],
    safeHarbour: {
      nl: 'Onderzoek naar kwetsbaarheden dat je volgens dit beleid uitvoert, beschouwen we als: geautoriseerd onder de wetgeving tegen computervredebreuk en andere anti-hackingwetgeving, waarbij we geen juridische stappen tegen je beginnen of steunen voor onbedoelde overtredingen van dit beleid te goeder trouw; geautoriseerd onder de wetgeving tegen het omzeilen van technische beveiligingsmaatregelen (zoals de DMCA), waarbij we geen claim tegen je indienen voor het omzeilen van die maatregelen; vrijgesteld van de beperkingen in onze gebruiksvoorwaarden en ons beleid voor aanvaardbaar gebruik die beveiligingsonderzoek in de weg staan, en die beperkingen laten we daarvoor in beperkte mate vallen; en rechtmatig, nuttig voor de veiligheid van het internet en uitgevoerd te goeder trouw. Je moet je, zoals altijd, aan alle toepasselijke wetgeving houden. Begint een derde partij een juridische procedure tegen je terwijl je je aan dit beleid hebt gehouden, dan maken we bekend dat je handelde in overeenstemming met dit beleid. Deze vrijwaring geldt alleen voor juridische claims waarover {{organisation}} zeggenschap heeft; onafhankelijke derden zijn er niet aan gebonden.',
      en: 'We consider vulnerability research carried out under this policy to be: authorised under any applicable anti-hacking laws, and we will not initiate or support legal action against you for accidental, good-faith violations of this policy; authorised under any relevant anti-circumvention laws (such as the DMCA), and we will not bring a claim against you for circumventing technology controls; exempt from the restrictions in our Terms of Service and Acceptable Use Policy that would interfere with security research, which we waive on a limited basis for that purpose; and lawful, helpful to the overall security of the internet, and conducted in good faith. As always, you are expected to comply with all applicable laws. If a third party starts legal action against you and you have complied with this policy, we will make it known that your actions were in line with this policy. This safe harbour covers only legal claims under the control of {{organisation}}; it does not bind independent third parties.',
    },
    // The core terms have no privacy section: this says no more than what handling a report needs.
    privacy: {
      nl: 'We gebruiken de gegevens die je ons geeft om je melding af te handelen en om met je in contact te blijven over je melding.',
      en: 'We use the details you give us to handle your report and to stay in touch with you about it.',
    },
    other: [
      {
        nl: 'We reageren snel op je melding en werken met je samen om haar te begrijpen en te bevestigen. We werken eraan kwetsbaarheden tijdig te verhelpen, binnen wat operationeel mogelijk is.',
        en: 'We respond to your report promptly and work with you to understand and validate it. We work to remediate vulnerabilities in a timely manner, within our operational constraints.',
      },
      {
        nl: 'Kwetsbaarheden in systemen buiten de scope meld je bij de leverancier of de instantie die daarvoor verantwoordelijk is.',
        en: 'Report vulnerabilities in out-of-scope systems to the vendor concerned or the appropriate authority.',
      },
    ],
  },
  intake: {
    // The core terms do not address anonymity; a name or an alias with an e-mail address lets the
    // team "work with you to understand and validate your report".
    identities: ['named', 'alias'],
    requiredContact: ['email'],
    languages: [],
    // "providing all relevant information"; data access is limited to what a proof of concept needs.
    requestedDetails: ['steps', 'urls', 'impact', 'proof_of_concept'],
    attachments: {
      allowed: ['text', 'image', 'pdf'],
      maxBytes: 10 * 1024 * 1024,
      maxFiles: 10,
      passwordProtectedAccepted: false,
      passwordChannel: 'none',
    },
    emails: [],
  },
  serviceLevels: {
    // The core terms promise to "respond to your report promptly"; disclose.io's policy maker fills
    // in "within X business days", and 5 business days is the usual choice.
    acknowledgement: { amount: 5, unit: 'business_days' },
    firstResponse: null,
    assessment: null,
    // "within our operational constraints": no fixed term.
    resolution: { kind: 'none' },
    mayDependOnSuppliers: false,
  },
  calendar: {
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' },
    holidays: { country: 'NL' },
  },
  firstAssessment: { includesAssessment: false, includesExpectedFixDate: false },
  // "Strive to keep you informed about the progress of a vulnerability as it is processed": at each
  // step of the case (the page says so among the promises, so rules.other does not repeat it).
  progressUpdates: { kind: 'milestones' },
  rewards: { kind: 'none' },
  // A VDP acknowledges researchers publicly; the core terms do not promise credit in advisories.
  credit: { hallOfFame: true, creditInAdvisories: false },
  disclosure: {
    // The core terms ask for "at least {{disclosure_window}} from the initial report"; 90 days is the
    // common disclose.io / industry convention. After it, publication is the default; earlier
    // publication is by agreement (said in rules.do), so publication is not *only* by agreement.
    defaultEmbargoDays: 90,
    publicationOnlyByAgreement: false,
    requiresAllPartiesInformed: false,
    requiresResolution: false,
    mayAgreeNeverToPublish: false,
    // The core terms make no promise of confidentiality.
    confidential: false,
  },
  notifications: { clearTextAllowed: false },
};
