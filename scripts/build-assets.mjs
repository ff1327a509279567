// Build Fairhear's front end into fairhear/static/dist (git-ignored; WhiteNoise serves it):
//   main.css                 fairhear/assets/scss/main.scss compiled with GOV.UK Frontend
//   govuk-frontend.min.js    GOV.UK Frontend's ES module (+ its source map, which Django's
//                            manifest storage needs because the file names it)
//   images/                  GOV.UK Frontend's images, plus Fairhear's own icon
//   htmx.min.js              htmx
//   js/                      our own modules (fairhear/assets/js)
// Everything comes from node_modules (installed by `npm ci`): nothing is vendored or fetched.
// Run with `npm run build`; it works from any directory and fails loudly on any error.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = (...parts) => join(root, ...parts);
const out = from("fairhear", "static", "dist");
const govuk = from("node_modules", "govuk-frontend", "dist", "govuk");

// Start clean so that files removed from the sources do not linger in dist.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = sass.compile(from("fairhear", "assets", "scss", "main.scss"), {
  loadPaths: [from("node_modules")],
  style: "compressed",
  // Our own code must compile without deprecation warnings; GOV.UK Frontend's are its own.
  quietDeps: true,
  fatalDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "main.css"), result.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "govuk-frontend.min.js.map"), join(out, "govuk-frontend.min.js.map"));
cpSync(join(govuk, "assets", "images"), join(out, "images"), { recursive: true });
cpSync(from("fairhear", "assets", "images"), join(out, "images"), { recursive: true });
cpSync(from("node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
cpSync(from("fairhear", "assets", "js"), join(out, "js"), { recursive: true });

console.log(`Built ${out} (main.css ${result.css.length} bytes)`);
