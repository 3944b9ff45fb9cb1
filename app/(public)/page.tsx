import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

const steps = [
  { title: "Apply", text: "Describe your product and answer the five review questions: supported use case, open-endedness, risk, misuse plan and end users." },
  { title: "Get reviewed", text: "Reviewers score your use case and talk with you. You revise until it is ready; nothing is decided by a form alone." },
  { title: "Build with scoped keys", text: "An approval issues a development key with limits fitted to your use case. Go live after a production review." },
];

export default function LandingPage() {
  return (
    <div className="space-y-12">
      <section className="space-y-5 pt-6">
        <h1 className="max-w-3xl text-4xl font-bold tracking-tight text-slate-900">
          Reviewed, scoped access to a language-model API
        </h1>
        <p className="max-w-2xl text-lg text-slate-600">
          Gatehouse lets this organisation offer a text-in, text-out model to outside teams safely. Teams apply, reviewers
          score each use case, and approved teams receive API keys whose limits are enforced on every call. The API speaks
          OpenAI&apos;s format, so the official SDKs work unchanged.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/signup" className={buttonClass("primary")}>
            Apply for access
          </Link>
          <Link href="/signin" className={buttonClass("secondary")}>
            Sign in
          </Link>
          <Link href="/policy" className={buttonClass("secondary")}>
            Read the use-case policy
          </Link>
        </div>
      </section>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading" className="mb-4 text-xl font-semibold">
          How to apply
        </h2>
        <ol className="grid gap-4 md:grid-cols-3">
          {steps.map((step, index) => (
            <li key={step.title} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <p className="text-sm font-semibold text-indigo-700">Step {index + 1}</p>
              <h3 className="mt-1 font-semibold">{step.title}</h3>
              <p className="mt-2 text-sm text-slate-600">{step.text}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
