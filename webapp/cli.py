"""Every `flask` command, here and nowhere else: init-db, create-user, unlock-user, seed-demo, reset-data,
rebuild-aggregates, outbox-relay, close-past-shows, resume-cancellations."""
import click
from flask import current_app
from flask.cli import with_appcontext

from .models import ALL_DOCUMENTS, User
from .services import ServiceError
from .services import users as user_service

DEMO_USERS = [
    # username, name, roles, password (demo only: printed and listed in the README)
    # (a password may not contain its own username or name, nor be a commonly used one)
    ("admin", "Ana Admin", ["admin"], "mesa-de-som-42"),
    ("gerente", "Gabriel Gerente", ["manager"], "bastidores-77"),
    ("caixa", "Carla Caixa", ["seller"], "bilhete-azul-12"),
    ("porta", "Paulo Portaria", ["door"], "catraca-verde-5"),
]


# Indexes earlier versions created that no query needs any more (each one cost every sale a write); `init-db`
# drops them. Their replacements (sparse or partial, in the models) have other names, so both may exist meanwhile.
OBSOLETE_INDEXES = {
    "orders": ("customer.name_1", "status_1", "email_status_1", "customer.document_1", "customer.email_1"),
    "tickets": ("holder_document_1", "event_id_1_gate_1"),
    "holds": ("status_1_tidy_1_sold_at_1", "event_id_1_status_1"),
}

# Fields earlier versions stored that the models no longer declare: MongoEngine refuses to load a document carrying
# one (FieldDoesNotExist: every page reading it would fail), so `init-db` removes them. Venue.seat_map was the first
# rounds' placeholder for reserved seating, replaced by the SeatMap model.
OBSOLETE_FIELDS = {"venues": ("seat_map",)}


def drop_obsolete_fields(database):
    """Remove OBSOLETE_FIELDS from the documents that still carry them; returns how many documents changed."""
    return sum(database[collection].update_many({"$or": [{f: {"$exists": True}} for f in fields]},
                                                {"$unset": dict.fromkeys(fields, "")}).modified_count
               for collection, fields in OBSOLETE_FIELDS.items())


# Done outbox messages are deleted by MongoDB's TTL monitor OUTBOX_KEEP_DAYS after they finished, so the outbox's
# indexes stay the size of a week of sales. Nothing reads a done message by then: a job run again skips a message
# that is gone as it skips a done one (services/outbox.unfinished), redelivery looks only at dispatched ones, the
# e-mail's "at most once" is kept on the order. Failed messages (admins see and retry them) are not in the index.
# Nothing to backfill: every version has set finished_at when it settled a message.
DONE_MESSAGES_TTL = "done_messages_ttl"


def _expire_done_messages(database):
    seconds = current_app.config["OUTBOX_KEEP_DAYS"] * 24 * 3600
    present = database.outbox.index_information().get(DONE_MESSAGES_TTL)
    if present is None:
        database.outbox.create_index("finished_at", name=DONE_MESSAGES_TTL, expireAfterSeconds=seconds,
                                     partialFilterExpression={"status": "done"})
    elif present.get("expireAfterSeconds") != seconds:  # the setting changed: the same index keeps them that long
        database.command("collMod", "outbox", index={"name": DONE_MESSAGES_TTL, "expireAfterSeconds": seconds})


def ensure_indexes():
    for document in ALL_DOCUMENTS:
        document.ensure_indexes()
    from . import db

    database = db.database()
    _expire_done_messages(database)
    drop_obsolete_fields(database)
    for collection, names in OBSOLETE_INDEXES.items():
        present = set(database[collection].index_information())
        for name in present.intersection(names):
            database[collection].drop_index(name)


def fold_hour_buckets():
    """Upgrade from the separate `sales_hours` collection: rebuild the buckets (hours now inside the day buckets)
    from the orders, then drop it. Returns the orders replayed, or None when there was nothing to upgrade."""
    from . import db
    from .services.aggregates import rebuild

    database = db.database()
    if "sales_hours" not in database.list_collection_names():
        return None
    replayed = rebuild()
    database.drop_collection("sales_hours")  # last: a rebuild cut short leaves it, so the next init-db runs again
    return replayed


def seed_demo_users():
    """Create the demo staff that are missing; returns [(username, password)] created."""
    created = []
    for username, name, roles, password in DEMO_USERS:
        if not User.objects(username=username).first():
            user_service.create_user(None, username=username, name=name, password=password, roles=roles,
                                     comp_allowance=5)
            created.append((username, password))
    return created


def wipe_data():
    """Drop every collection of the app's database and empty its Redis database (queues, login throttling)."""
    from redis import Redis

    from . import db

    database = db.database()
    for name in database.list_collection_names():
        database.drop_collection(name)
    Redis.from_url(current_app.config["REDIS_URL"]).flushdb()


def _print_demo_logins(created):
    if created:
        click.echo("Demo staff accounts (DEMO ONLY, change or remove them for real use):")
        for username, password in created:
            click.echo(f"  {username:10} {password}")
    else:
        click.echo("Demo data already present; demo logins are listed in the README.")


def register_cli(app):
    @app.cli.command("init-db")
    @with_appcontext
    def init_db():
        """Create MongoDB indexes, fill search fields and rebuild report buckets changed since (idempotent)."""
        from .services.confirmation import drop_unsendable_emails
        from .services.exchanges import mark_exchanged_orders
        from .services.orders import index_customer_names, index_order_codes

        ensure_indexes()
        click.echo("indexes ready")
        coded = index_order_codes()
        if coded:
            click.echo(f"order codes indexed for search on {coded} older orders")
        replayed = fold_hour_buckets()
        if replayed is not None:
            click.echo(f"report buckets rebuilt from {replayed} orders (hours now inside sales_days); "
                       "sales_hours dropped")
        filled = index_customer_names()
        if filled:
            click.echo(f"customer names indexed for search on {filled} older orders")
        dropped = drop_unsendable_emails()
        if dropped:
            click.echo(f"{dropped} confirmation e-mail(s) of orders with no ticket left marked as not to be sent")
        exchanged = mark_exchanged_orders()
        if exchanged:
            click.echo(f"{exchanged} order(s) whose tickets were all exchanged now read exchanged, not refunded")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", required=True)
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(["admin", "manager", "seller", "door"]))
    @click.password_option()
    @with_appcontext
    def create_user(username, name, roles, password):
        """Create a staff account."""
        try:
            user_service.create_user(None, username=username, name=name, password=password, roles=list(roles))
        except ServiceError as exc:
            raise click.ClickException(exc.message) from None
        click.echo(f"created {username}")

    @app.cli.command("unlock-user")
    @click.argument("username")
    @with_appcontext
    def unlock_user(username):
        """End an account's lockout after wrong passwords now (audited)."""
        user = User.objects(username=username.strip().lower(), kind__ne="device").first()
        if user is None:
            raise click.ClickException(f"no account named {username!r}")
        user_service.unlock(None, user)
        click.echo(f"unlocked {user.username}")

    @app.cli.command("seed-demo")
    @with_appcontext
    def seed_demo():
        """Demo staff (one per role) and shows, created only where missing."""
        ensure_indexes()
        created = seed_demo_users()
        from .services import demo

        demo.seed_catalog()
        _print_demo_logins(created)

    @app.cli.command("reset-data")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @with_appcontext
    def reset_data(yes):
        """Wipe every order, show, account and queued job, then seed the demo again (development only)."""
        if current_app.config.get("CONFIG_NAME") not in ("development", "testing"):
            raise click.ClickException("reset-data wipes everything: it runs only with FLASK_CONFIG=development "
                                       "or testing, never in production")
        where = f"{current_app.config['MONGODB_DB']} and {current_app.config['REDIS_URL']}"
        if not yes and not click.confirm(f"Wipe all data in {where}?"):
            raise click.ClickException("nothing was changed")
        wipe_data()
        ensure_indexes()
        from .services import demo

        created = seed_demo_users()
        demo.seed_catalog()
        click.echo(f"data wiped in {where}; demo data seeded again")
        _print_demo_logins(created)

    @app.cli.command("rebuild-aggregates")
    @with_appcontext
    def rebuild_aggregates():
        """Recompute the report aggregates from the orders (run while nothing is being sold)."""
        from .services.aggregates import rebuild

        click.echo(f"replayed {rebuild()} orders")

    @app.cli.command("outbox-relay")
    @click.option("--once", is_flag=True, help="One pass, then exit.")
    @click.option("--interval", default=1.0, show_default=True, help="Seconds to sleep when there is nothing to send.")
    @with_appcontext
    def outbox_relay(once, interval):
        """Move committed outbox messages (sale confirmations) to the RQ queue; runs until stopped."""
        from .services.outbox import run_relay

        sent = run_relay(interval=interval, once=once)
        click.echo(f"dispatched {sent}")

    @app.cli.command("close-past-shows")
    @with_appcontext
    def close_past_shows():
        """Mark finished every show whose end has passed."""
        from .services.lifecycle import close_past_shows as close

        click.echo(f"{close()} show(s) finished")

    @app.cli.command("resume-cancellations")
    @with_appcontext
    def resume_cancellations():
        """Queue again the refunds of cancelled shows with work left (after a worker died mid-way)."""
        from .services.cancellation import resume_unfinished

        click.echo(f"{len(resume_unfinished())} show(s) queued")
