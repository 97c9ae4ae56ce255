import { route } from "@/lib/http/route";
import { empty } from "@/lib/http/respond";
import { AppError } from "@/lib/errors";
import { removeRepository } from "@/lib/plugin-catalog/repositories";

// DELETE /api/plugin-repository/:id – remove an admin-added repository (configured ones are refused)
export const DELETE = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id)) throw new AppError("NOT_FOUND", `no plugin repository ${params.id}`);
  await removeRepository(id);
  return empty();
});
