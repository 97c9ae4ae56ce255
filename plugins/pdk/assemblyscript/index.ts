// @tessitura/ndp-pdk: write Navidrome (.ndp) plugins in AssemblyScript.
//
// Import what you need from here; re-export the exports of each capability you implement from
// your entry file (`export * from "@tessitura/ndp-pdk/exports/<capability>"`). See README.md.

// Core: the calling convention, JSON, config, logs, time, files.
export { fail, failed, FAILED, NOT_IMPLEMENTED } from "./lib/call";
// For custom exports (anything besides the capabilities): read the request, answer like a capability does.
export { readRequest, respond, respondBool, respondEmpty, respondJSON, respondString } from "./lib/call";
export { Config, handleAbort, inputBytes, inputString, Log, outputBytes, outputString, parseInteger, ParsedInt, utf8 } from "./lib/io";
export { Encodable, JSONKind, JSONValue, JSONWriter, parseJSON, quote } from "./lib/json";
export { decodeBase64, encodeBase64 } from "./lib/base64";
export { Random, Time } from "./lib/clock";
export { DirEntry, DirResult, FileSystem, StatResult } from "./lib/fs";
export { BoolResult, BytesMapResult, BytesResult, FloatResult, HostResult, IntResult, StringListResult, StringResult, VoidResult } from "./lib/results";
export { ArtistRef, encodeList, ImageInfo, SongRef, TrackInfo } from "./lib/types";

// Capabilities.
export * from "./capabilities/metadata-agent";
export * from "./capabilities/scrobbler";
export * from "./capabilities/lyrics";
export * from "./capabilities/sonic-similarity";
export * from "./capabilities/task-worker";
export * from "./capabilities/lifecycle";
export * from "./capabilities/scheduler-callback";
export * from "./capabilities/websocket-callback";
export * from "./capabilities/http-endpoint";
export * from "./capabilities/playlist-provider";

// Host services.
export { ConfigService } from "./host/config";
export { Http, HttpRequest, HttpResponse, urlEncode } from "./host/http";
export { Cache } from "./host/cache";
export { KVStore } from "./host/kvstore";
export { Scheduler } from "./host/scheduler";
export { QueueConfig, TaskInfoResult, TaskQueue } from "./host/taskqueue";
export { WebSocket } from "./host/websocket";
export { Library, LibraryInfo, LibrariesResult, LibraryResult } from "./host/library";
export { UserInfo, Users, UsersResult } from "./host/users";
export { Artwork } from "./host/artwork";
export { SubsonicAPI, SubsonicRawResult, SubsonicResult } from "./host/subsonicapi";
export { Matcher, MatchedTrack, MatchResult } from "./host/matcher";
export { Storage } from "./host/storage";
export { ScrobbleOptions, ScrobblePage, ScrobbleRef, ScrobbleRetriever } from "./host/scrobbleretriever";
