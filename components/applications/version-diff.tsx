// What changed between two submitted versions; used on the applicant's version history and the reviewer's page.
import { diffSnapshots, type ApplicationSnapshot } from "@/lib/applications/diff";
import { Table, TableBody, TableHead } from "@/components/ui/table";

export function VersionDiff({ before, after, title }: { before: ApplicationSnapshot | null; after: ApplicationSnapshot; title?: string }) {
  const changes = diffSnapshots(before, after);
  if (before && changes.length === 0) return <p className="text-sm text-slate-600">No answers changed since the previous version.</p>;
  return (
    <Table label={title ?? "Changed answers"}>
      {title ? <caption className="pb-2 text-left font-medium text-slate-800">{title}</caption> : null}
      <TableHead columns={before ? ["Field", "Before", "After"] : ["Field", "Answer"]} />
      <TableBody>
        {changes.map((change) => (
          <tr key={change.path} data-testid={`diff-${change.path}`} className="align-top">
            <th scope="row" className="py-2 pr-4 font-medium text-slate-800">{change.label}</th>
            {before ? (
              <td className="whitespace-pre-wrap py-2 pr-4 text-red-800">
                {change.before ? <del className="no-underline">{change.before}</del> : <span className="text-slate-500">(empty)</span>}
              </td>
            ) : null}
            <td className="whitespace-pre-wrap py-2 text-green-800">
              {change.after ? <ins className="no-underline">{change.after}</ins> : <span className="text-slate-500">(removed)</span>}
            </td>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}
