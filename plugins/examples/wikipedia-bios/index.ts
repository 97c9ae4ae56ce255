// wikipedia-bios: artist biographies, Wikipedia links and photos for Subsonic clients.
//
// One page summary per artist (`/page/summary/<title>`) answers three agent functions, so
// summaries are cached for a day (misses for an hour). Disambiguation pages are retried as
// "<name> (band)" and "<name> (musician)". Add the plugin's id to the server's Agents setting.
import {
  ArtistBiographyResponse,
  ArtistRequest,
  ArtistURLResponse,
  Cache,
  Config,
  fail,
  handleAbort,
  HttpRequest,
  ImageInfo,
  ImagesResponse,
  JSONValue,
  Log,
  MetadataAgent,
  parseJSON,
  registerMetadataAgent,
  urlEncode,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/metadata-agent";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

const DAY: i64 = 24 * 60 * 60;
const HOUR: i64 = 60 * 60;
/** What the cache holds for an artist Wikipedia has no page for. */
const MISSING = "-";

function apiBase(): string {
  const configured = Config.getString("apiUrl");
  if (configured.length > 0) return configured.endsWith("/") ? configured.slice(0, -1) : configured;
  return "https://" + Config.getString("language", "en") + ".wikipedia.org/api/rest_v1";
}

/** The result of looking an artist up: a summary, "no page", or an error for real faults. */
class Lookup {
  summary: JSONValue | null = null;
  error: string | null = null;
}

/** One request for a page summary; null summary means "no such page" (or only a disambiguation page). */
function fetchSummary(title: string): Lookup {
  const url = apiBase() + "/page/summary/" + urlEncode(title.replaceAll(" ", "_"));
  const res = new HttpRequest("GET", url)
    .header("Accept", "application/json")
    .header("User-Agent", "Tessitura-wikipedia-bios/1.0 (Navidrome plugin)")
    .send();
  const r = new Lookup();
  if (!res.ok) r.error = "wikipedia: " + res.error!;
  else if (res.statusCode == 404) Log.debug("no Wikipedia page for " + title);
  else if (!res.success) r.error = "wikipedia: HTTP " + res.statusCode.toString() + " for " + url;
  else {
    const page = res.json();
    if (page === null || !page.isObject) r.error = "wikipedia: malformed summary for " + title;
    else if (page.getString("type") != "disambiguation") r.summary = page;
  }
  return r;
}

function lookUp(name: string): Lookup {
  const key = "summary:" + Config.getString("language", "en") + ":" + name;
  const cached = Cache.getString(key);
  const found = new Lookup();
  if (cached.exists) {
    if (cached.value != MISSING) found.summary = parseJSON(cached.value);
    return found;
  }
  const titles = [name, name + " (band)", name + " (musician)"];
  for (let i = 0; i < titles.length; i++) {
    const r = fetchSummary(titles[i]);
    if (r.error !== null) return r; // not cached: try again next time
    if (r.summary !== null) {
      Cache.setString(key, r.summary!.toString(), DAY);
      return r;
    }
  }
  Cache.setString(key, MISSING, HOUR);
  return found;
}

class WikipediaAgent extends MetadataAgent {
  getArtistBiography(req: ArtistRequest): ArtistBiographyResponse | null {
    const r = lookUp(req.name);
    if (r.error !== null) return fail<ArtistBiographyResponse | null>(r.error!);
    if (r.summary === null) return null;
    const extract = r.summary!.getString("extract");
    return extract.length > 0 ? new ArtistBiographyResponse(extract) : null;
  }

  getArtistURL(req: ArtistRequest): ArtistURLResponse | null {
    const r = lookUp(req.name);
    if (r.error !== null) return fail<ArtistURLResponse | null>(r.error!);
    if (r.summary === null) return null;
    const url = r.summary!.getObject("content_urls").getObject("desktop").getString("page");
    return url.length > 0 ? new ArtistURLResponse(url) : null;
  }

  getArtistImages(req: ArtistRequest): ImagesResponse | null {
    const r = lookUp(req.name);
    if (r.error !== null) return fail<ImagesResponse | null>(r.error!);
    if (r.summary === null) return null;
    const images = new Array<ImageInfo>(0);
    const names = ["originalimage", "thumbnail"];
    for (let i = 0; i < names.length; i++) {
      const img = r.summary!.getObject(names[i]);
      const source = img.getString("source");
      if (source.length > 0) images.push(new ImageInfo(source, img.getI32("width")));
    }
    return images.length > 0 ? new ImagesResponse(images) : null;
  }
}

registerMetadataAgent(new WikipediaAgent());
