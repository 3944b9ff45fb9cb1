// The stage and category selects that filter applications awaiting review (the review queue, automatic assignment).
import { FilterSelect } from "@/components/ui/filters";

export function StageFilter({ id, defaultValue }: { id: string; defaultValue?: string }) {
  return (
    <FilterSelect id={id} label="Stage" name="stage" defaultValue={defaultValue ?? ""}>
      <option value="">Any</option>
      <option value="ACCESS">Access request</option>
      <option value="PRODUCTION">Production review</option>
    </FilterSelect>
  );
}

export function CategoryFilter({ id, defaultValue, categories }: { id: string; defaultValue?: string; categories: { slug: string; name: string }[] }) {
  return (
    <FilterSelect id={id} label="Category" name="category" defaultValue={defaultValue ?? ""}>
      <option value="">Any</option>
      {categories.map((category) => (
        <option key={category.slug} value={category.slug}>
          {category.name}
        </option>
      ))}
    </FilterSelect>
  );
}
