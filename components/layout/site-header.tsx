import Link from "next/link";
import { areasFor } from "@/lib/auth/areas";
import { getSessionUser } from "@/lib/auth/session";
import { countUnreadNotifications } from "@/lib/notifications/queries";
import { SignOutButton } from "@/components/auth/sign-out-button";

/** The navigation: each role sees its own areas; the server still checks every page. */
export async function SiteHeader() {
  const user = await getSessionUser();
  const active = user?.status === "ACTIVE" ? user : null;
  const unread = active ? await countUnreadNotifications({ actor: active }) : 0;
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold text-indigo-700">
          Gatehouse
        </Link>
        {active ? (
          <ul className="flex flex-wrap gap-4 text-sm">
            {areasFor(active.role).map((area) => (
              <li key={area.href}>
                <Link href={area.href} className="text-slate-700 hover:text-indigo-700">
                  {area.label}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        <Link href="/policy" className="text-sm text-slate-700 hover:text-indigo-700">
          Use-case policy
        </Link>
        <div className="ml-auto flex flex-wrap items-center gap-x-4 gap-y-1 text-sm [&>*]:whitespace-nowrap">
          {active ? (
            <>
              <Link href="/notifications" className="text-slate-700 hover:text-indigo-700">
                Notifications ({unread})
              </Link>
              <Link href="/account" className="text-slate-700 hover:text-indigo-700" title={active.email}>
                {active.name} <span className="text-slate-500">({active.role.toLowerCase()})</span>
              </Link>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin" className="text-slate-700 hover:text-indigo-700">
                Sign in
              </Link>
              <Link href="/signup" className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500">
                Apply for access
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
