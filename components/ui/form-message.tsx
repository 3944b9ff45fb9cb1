/** The form-level message, in a live region so screen readers hear it. */
export function FormMessage({ message, tone = "error" }: { message?: string; tone?: "error" | "success" }) {
  return (
    <div aria-live="polite" role={tone === "error" ? "alert" : "status"}>
      {message ? (
        <p
          className={`rounded-md px-3 py-2 text-sm ${tone === "error" ? "bg-red-50 text-red-800 ring-1 ring-red-200" : "bg-green-50 text-green-800 ring-1 ring-green-200"}`}
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
