// Writes N synthetic leads for the inbound example rulebook as JSON Lines
// (deterministic: the same N gives the same file). Usage: node make-leads.mjs N
const n = Number(process.argv[2] ?? 1000);
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const roles = ["executive", "manager", "individual", "student", "other"];
const sizes = ["1-49", "50-249", "250-999", "1000+"];
const crms = ["salesforce", "hubspot", "other", "none"];
const uses = ["forecasting", "pipeline-hygiene", "coaching"];
const domains = ["bigcorp.com", "midco.io", "gmail.com", "uni.edu", "smallbiz.co"];
const out = [];
const flush = () => { process.stdout.write(out.join("")); out.length = 0; };
for (let i = 0; i < n; i++) {
  const budget = rand() < 0.5;
  const lead = {
    name: `Lead ${i}`, email: `lead${i}@${pick(domains)}`, company: `Company ${i % 977}`,
    role: pick(roles), employees: pick(sizes), crm: pick(crms), budget,
    use_cases: uses.filter(() => rand() < 0.4), consent: true,
  };
  if (budget) lead.timeline = pick(["now", "quarter", "later"]);
  out.push(JSON.stringify(lead) + "\n");
  if (out.length === 10000) flush();
}
flush();
