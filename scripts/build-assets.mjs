// Compile fairhear/assets/scss/main.scss and copy GOV.UK Frontend's JS and images and htmx into
// fairhear/static/dist. Everything comes from node_modules: nothing is vendored or fetched later.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "fairhear/static/dist";
mkdirSync(out, { recursive: true });
const result = sass.compile("fairhear/assets/scss/main.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(`${out}/main.css`, result.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/images`, { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
cpSync("fairhear/assets/js", `${out}/js`, { recursive: true });
console.log(`Built ${out}/main.css (${result.css.length} bytes)`);
