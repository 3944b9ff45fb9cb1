import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-12 text-center">
      <p className="text-sm font-semibold text-indigo-700">403</p>
      <h1 className="text-2xl font-bold">You don&apos;t have access to this page</h1>
      <p className="text-slate-600">Your role does not include this area. If you think it should, ask a Gatehouse administrator.</p>
      <Link href="/home" className="inline-block font-medium text-indigo-700 hover:underline">
        Go to your area
      </Link>
    </div>
  );
}
