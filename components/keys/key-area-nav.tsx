import Link from "next/link";

const links = [
  { href: "/applicant/keys", label: "API keys" },
  { href: "/applicant/usage", label: "Usage" },
  { href: "/applicant/playground", label: "Playground" },
] as const;

/** Tabs between the applicant's API pages. */
export function KeyAreaNav({ current }: { current: (typeof links)[number]["href"] }) {
  return (
    <nav aria-label="API access" className="mb-6 flex gap-4 border-b border-slate-200 text-sm">
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 ${link.href === current ? "border-indigo-600 font-semibold text-indigo-700" : "border-transparent text-slate-600 hover:text-indigo-700"}`}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
