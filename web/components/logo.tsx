import Link from "next/link";
import { MessagesSquare } from "lucide-react";

export function Logo() {
  return (
    <Link href="/bots/" className="flex items-center gap-2 rounded-md font-semibold focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
      <span className="flex h-7 w-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <MessagesSquare className="h-4 w-4" aria-hidden />
      </span>
      Parley
    </Link>
  );
}
