/// The stylesheet, served at /static/app.css: readable text in the manner of GOV.UK (large body
/// type, strong focus styles, one column on a phone, generous spacing).
public enum StaticCSS {
    public static let text = #"""
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1.1875rem;
       line-height: 1.5; color: #0b0c0c; background: #fff; }
.wrap { max-width: 960px; margin: 0 auto; padding: 0 15px; }
@media (min-width: 641px) { .wrap { padding: 0 30px; } }
a { color: #1d70b8; text-decoration-thickness: max(1px, .0625rem); text-underline-offset: .1em; }
a:visited { color: #4c2c92; }
a:hover { color: #003078; text-decoration-thickness: max(3px, .1875rem); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus {
  outline: 3px solid transparent; background-color: #ffdd00; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; color: #0b0c0c; text-decoration: none; }
input:focus, select:focus, textarea:focus { box-shadow: inset 0 0 0 2px #0b0c0c; background-color: #fff; outline: 3px solid #ffdd00; outline-offset: 0; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { position: static; display: block; padding: 10px 15px; }
.site-header { background: #0b0c0c; color: #fff; border-bottom: 10px solid #1d70b8; }
.header-row { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 30px; padding-top: 10px; padding-bottom: 10px; }
.site-header a, .site-header a:visited { color: #fff; }
.site-header .brand { font-weight: 700; font-size: 1.5rem; text-decoration: none; }
.site-header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0 20px; }
.site-header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.site-header .account { margin-left: auto; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
form.inline { display: inline; margin: 0; }
.link-button { background: none; border: 0; padding: 0; font: inherit; color: inherit; text-decoration: underline; cursor: pointer; }
main { display: block; padding-top: 30px; padding-bottom: 45px; }
main:focus { outline: none; }
h1 { font-size: 2rem; line-height: 1.1; margin: 0 0 30px; }
@media (min-width: 641px) { h1 { font-size: 3rem; } }
h2 { font-size: 1.5rem; margin: 45px 0 15px; }
h3 { font-size: 1.1875rem; margin: 25px 0 10px; }
p, ul, ol, dl, table { margin: 0 0 20px; }
.lead { font-size: 1.5rem; }
.secondary, .meta { color: #505a5f; }
.site-footer { border-top: 1px solid #b1b4b6; background: #f3f2f1; padding: 25px 0; font-size: 1rem; }
code, .hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .875em; overflow-wrap: anywhere; word-break: break-all; }
.notice { border: 5px solid #00703c; padding: 15px 20px; margin-bottom: 30px; font-weight: 700; }
.warning-panel { border-left: 10px solid #d4351c; padding: 15px 20px; margin-bottom: 30px; background: #fef1ef; }
.ok-panel { border-left: 10px solid #00703c; padding: 15px 20px; margin-bottom: 30px; background: #f0f8f3; }
.error-summary { border: 5px solid #d4351c; padding: 15px 20px; margin-bottom: 30px; }
.field-error { color: #d4351c; font-weight: 700; margin: 0 0 10px; }
.bidi-control { background: #fef1ef; color: #d4351c; font-family: ui-monospace, monospace; font-size: .8em; border: 1px solid #d4351c; padding: 0 2px; unicode-bidi: isolate; }
bdi { unicode-bidi: isolate; }
/* Forms */
label, legend { display: block; font-weight: 700; margin-bottom: 5px; }
.hint { color: #505a5f; display: block; margin-bottom: 10px; }
input[type=text], input[type=search], input[type=password], input[type=date], select, textarea {
  font: inherit; width: 100%; max-width: 40em; padding: 5px; border: 2px solid #0b0c0c; border-radius: 0; background: #fff; }
textarea { min-height: 6em; }
.field { margin-bottom: 20px; }
.field-group { display: grid; grid-template-columns: 1fr; gap: 0 20px; }
@media (min-width: 641px) { .field-group { grid-template-columns: repeat(3, 1fr); } }
button, .button { font: inherit; font-weight: 400; background: #00703c; color: #fff; border: 2px solid transparent; padding: 8px 10px 7px;
  box-shadow: 0 2px 0 #002d18; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary-button { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; }
.filters { background: #f3f2f1; padding: 15px 20px 5px; margin-bottom: 30px; }
.filters summary { font-weight: 700; cursor: pointer; margin-bottom: 10px; }
/* Lists */
.claim-list { list-style: none; padding: 0; }
.claim-list > li { border-top: 1px solid #b1b4b6; padding: 15px 0; }
.claim-list > li:last-child { border-bottom: 1px solid #b1b4b6; }
.claim-list .statement { font-weight: 700; font-size: 1.1875rem; display: block; }
.tag { display: inline-block; padding: 2px 8px 1px; font-weight: 700; font-size: .875rem; text-transform: uppercase; letter-spacing: .03em;
  background: #eee; color: #383f43; margin-right: 5px; }
.status-disputed { background: #fcd6c3; color: #6e3619; }
.status-refuted { background: #f6d7d2; color: #942514; }
.status-corroborated { background: #cce2d8; color: #005a30; }
.status-unverified, .status-unverifiable { background: #eeefef; color: #383f43; }
.tag-reviewed { background: #bbd4ea; color: #0c2d4a; }
.tag-retracted { background: #0b0c0c; color: #fff; }
.pagination { display: flex; gap: 20px; justify-content: space-between; margin-top: 20px; }
.snippet mark, mark.hit { background: #fff2a8; color: inherit; }
/* Summary lists (GOV.UK) */
dl.summary { display: grid; grid-template-columns: 1fr; margin-bottom: 30px; }
dl.summary dt { font-weight: 700; margin-top: 10px; }
dl.summary dd { margin: 0; padding-bottom: 10px; border-bottom: 1px solid #b1b4b6; }
@media (min-width: 641px) {
  dl.summary { grid-template-columns: 30% 70%; }
  dl.summary dt, dl.summary dd { padding: 10px 20px 10px 0; margin: 0; border-bottom: 1px solid #b1b4b6; }
}
/* Claim page */
blockquote.quote { margin: 0 0 20px; padding: 15px 20px; border-left: 10px solid #b1b4b6; background: #f8f8f8; }
.quote-context { white-space: pre-wrap; overflow-wrap: anywhere; }
.quote-context mark, .source-text mark { background: #fff2a8; color: inherit; padding: 0 1px; box-shadow: 0 2px 0 #b58840; }
.source-text mark a { color: inherit; text-decoration: none; }
.positions { display: grid; grid-template-columns: 1fr; gap: 20px; }
@media (min-width: 641px) { .positions { grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); } }
.position { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: 15px; }
.position.stance-denies, .position.stance-disputes { border-top-color: #d4351c; }
.position.stance-asserts, .position.stance-supports { border-top-color: #00703c; }
.history { list-style: none; padding: 0; border-left: 3px solid #b1b4b6; margin-left: 5px; }
.history > li { padding: 0 0 20px 20px; position: relative; }
.history > li::before { content: ""; position: absolute; left: -9px; top: .5em; width: 15px; height: 15px; border-radius: 50%; background: #1d70b8; }
#verification { border: 2px solid #0b0c0c; padding: 20px; margin-top: 45px; }
#verification h2 { margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
.table-wrap { overflow-x: auto; }
/* Source page */
.source-text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1.1875rem; line-height: 1.7; padding: 20px; border: 1px solid #b1b4b6; background: #fff; }
.selection-action { position: sticky; bottom: 0; background: #0b0c0c; color: #fff; padding: 15px 20px; margin-top: 20px; }
.selection-action a, .selection-action a:visited { color: #fff; font-weight: 700; }
.selection-action[hidden] { display: none; }
.source-text a.mark-link { font-size: .7em; vertical-align: super; text-decoration: none; margin-left: 1px; }
[data-skip] { -webkit-user-select: none; user-select: none; }
.caption { display: block; font-size: 1.1875rem; margin-bottom: 5px; }
.tags { display: inline-flex; flex-wrap: wrap; gap: 5px; }
.actions ul { display: flex; flex-wrap: wrap; gap: 10px 25px; list-style: none; padding: 0; }
figure.quote { margin: 0 0 25px; }
pre.note { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f2f1; padding: 15px; font-size: .875rem; }
@media print { .site-header nav, .account, .skip-link, .selection-action { display: none; } }
"""#
}
