import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">This address does not lead anywhere in Parley.</p>
      <Link href="/bots/" className="font-medium text-primary underline underline-offset-4">
        Go to your bots
      </Link>
    </main>
  );
}
