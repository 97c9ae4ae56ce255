// test-lyrics: nd_lyrics_get_lyrics (contract §3.3 / §8).
// Returns one entry {"lang":"eng","text":"Test lyrics for <title>\nBy <artist>"}.
// Config: `no_lang` = "true" omits `lang` (host then defaults it to "xxx"); `error` (non-empty) fails with that
// message; `format` = "ttml" returns a minimal TTML document instead.
import { abortWithError, configString, failFromConfig, output, q, requestOrError } from "../_shared/pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  abortWithError(message, fileName, lineNumber, columnNumber);
}

const TTML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml">\n  <body xml:lang="eng">\n' +
  '    <div>\n      <p begin="00:00.000" end="00:01.000">plugin ttml line</p>\n    </div>\n  </body>\n</tt>';

export function nd_lyrics_get_lyrics(): i32 {
  if (failFromConfig()) return -1;
  const req = requestOrError();
  if (req === null) return -1;

  if (configString("format") == "ttml") {
    output('{"lyrics":[{"lang":"eng","text":' + q(TTML) + "}]}");
    return 0;
  }

  const track = req.obj("track");
  const text = "Test lyrics for " + track.str("title") + "\nBy " + track.str("artist");
  let entry = "{";
  if (configString("no_lang") != "true") entry += '"lang":"eng",';
  entry += '"text":' + q(text) + "}";
  output('{"lyrics":[' + entry + "]}");
  return 0;
}
