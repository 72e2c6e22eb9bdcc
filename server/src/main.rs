//! The `trellis` binary.

use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use trellis::commands::{
    api_key, backup, bench_commissions, bench_conversions, bench_deals, bench_payouts, bench_tiers, create_operator,
    data_key, local_db, rebuild_stats, restore, retention, seed, serve, verify_commissions,
};
use trellis::config::{Config, VARIABLES};
use trellis::{startup, telemetry};

/// mimalloc rather than glibc's allocator: the redirect allocates a click on a request thread and
/// frees it on the writer's, and glibc's arena lock showed up in its profile (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "trellis", version, about = "Trellis: affiliate tracking and partner relationship management on PostgreSQL", after_help = env_help())]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo brand, programs, operators and partners (only into an empty installation).
    SeedDemo,
    /// Add a console user; prints a generated password once unless --password-stdin is given.
    CreateOperator {
        #[arg(long)]
        email: String,
        /// admin, manager, finance or viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Program API keys for the conversion API and postbacks.
    ApiKey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Recompute the daily report rollups and the commission engine's month totals from the raw
    /// clicks, conversions, commissions and refunds.
    RebuildStats,
    /// Drop whole months of raw clicks older than a cutoff, after checking each month's daily
    /// rollups against a recount; reports keep those months' totals. Refuses a cutoff inside any
    /// program's cookie window.
    Retention {
        /// How long raw clicks are kept: days, months or years, e.g. 400d, 13m or 2y.
        #[arg(long, value_name = "AGE")]
        clicks_older_than: app::backend::retention::Age,
        /// Say what would be dropped, and drop nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Recompute every stored commission (accruals and overrides) from its recorded terms version
    /// and inputs; lists those that differ and exits non-zero if any do.
    VerifyCommissions {
        /// Only this program's commissions (its slug, e.g. acme-affiliates).
        #[arg(long)]
        program: Option<String>,
    },
    /// Print a new random data key (base64) for TRELLIS_DATA_KEY or a key file.
    NewDataKey,
    /// Re-seal every encrypted payout detail and partner document under a new key, written to NEW_KEY_FILE (which must
    /// not exist). Stop the instances first, then restart them with the new key.
    RotateKey {
        /// Where to write the new key.
        #[arg(long, value_name = "NEW_KEY_FILE")]
        new_key_file: PathBuf,
    },
    /// Write a backup of the database to FILE (a pg_dump custom-format archive).
    ///
    /// Without DATABASE_URL it dumps the private PostgreSQL under TRELLIS_DATA_DIR with that
    /// installation's own pg_dump, starting the cluster for the dump if it isn't running (and
    /// stopping it again). With DATABASE_URL it dumps that database with pg_dump. FILE appears
    /// only once the dump is complete; a failed backup leaves nothing behind.
    Backup {
        /// The archive to write.
        file: PathBuf,
        /// Replace FILE if it exists already.
        #[arg(long)]
        force: bool,
    },
    /// Restore a `trellis backup` archive into the private PostgreSQL under the data folder.
    ///
    /// Refuses a data folder that already holds data unless --force is given; with --force the
    /// current database is replaced, but only once the whole archive has been restored (in one
    /// transaction, into a database of its own). A missing file, or one that isn't a pg_dump
    /// custom-format archive of Trellis, is refused and changes nothing. Works only without
    /// DATABASE_URL; for your own server, use pg_restore there.
    Restore {
        /// The archive `trellis backup` wrote.
        file: PathBuf,
        /// Replace the data in the data folder.
        #[arg(long)]
        force: bool,
    },
    /// Benchmark: the commission engine alone on one thread, over synthetic conversions.
    #[command(hide = true)]
    BenchCommissionEngine {
        #[arg(long, default_value_t = 1_000_000)]
        conversions: usize,
        /// Timed passes over the same conversions; the fastest is reported.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
    },
    /// Benchmark: fill a fresh database with engine-computed commissions (needs
    /// TRELLIS_BENCH_ROUTES=true).
    #[command(hide = true)]
    BenchSeedCommissions {
        /// Conversions, each with its accrual (masters' overrides come on top).
        #[arg(long, default_value_t = 100_000)]
        count: usize,
    },
    /// Benchmark data for conversion ingest (needs TRELLIS_BENCH_ROUTES=true).
    #[command(hide = true)]
    BenchConversions {
        #[command(subcommand)]
        action: BenchConversionsAction,
    },
    /// Benchmarks of deal registration and the pipeline report (needs TRELLIS_BENCH_ROUTES=true).
    #[command(hide = true)]
    BenchDeals {
        #[command(subcommand)]
        action: BenchDealsAction,
    },
    /// A payout run over many partners and entries: creation, approval and the SEPA file
    /// (needs TRELLIS_BENCH_ROUTES=true, on a database made for it).
    #[command(hide = true)]
    BenchPayouts {
        #[arg(long, default_value_t = 10_000)]
        partners: i64,
        #[arg(long, default_value_t = 1_000_000)]
        entries: i64,
    },
    /// The tier evaluation over many partners with 90 days of daily rollups: the first run, the
    /// daily case and a day of warnings (needs TRELLIS_BENCH_ROUTES=true, on a database made for it).
    #[command(hide = true)]
    BenchTiers {
        #[arg(long, default_value_t = 10_000)]
        partners: i64,
        #[arg(long, default_value_t = 10_000_000)]
        clicks: i64,
    },
    /// Soak: mixed load through running instances on DATABASE_URL's database, then a check of
    /// every acknowledged write (`make soak` starts the instances and runs this).
    #[command(hide = true)]
    Soak {
        /// An instance's address, e.g. 127.0.0.1:3000; once per instance.
        #[arg(long = "instance", required = true)]
        instances: Vec<String>,
        /// The process id of each instance, in the same order, for its memory.
        #[arg(long = "pid", required = true)]
        pids: Vec<u32>,
        #[arg(long, default_value_t = 20.0)]
        minutes: f64,
        /// Multiplies the request rates of the mix.
        #[arg(long, default_value_t = 1.0)]
        load: f64,
    },
    /// Start or stop the private PostgreSQL on its own (used by `make test`).
    #[command(hide = true)]
    LocalDb {
        #[arg(value_parser = ["start", "stop"])]
        action: String,
        #[arg(long)]
        data_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ApiKeyAction {
    /// Make a key; it is printed once, alone on standard output.
    Create {
        /// The program's slug, e.g. acme-affiliates.
        #[arg(long)]
        program: String,
        /// A label to tell keys apart in the console.
        #[arg(long, default_value = "Command line")]
        name: String,
    },
}

#[derive(Subcommand)]
enum BenchConversionsAction {
    /// Active partners with the default plan, holding the coupons PREFIX1..PREFIXn.
    Partners {
        #[arg(long)]
        program: String,
        #[arg(long)]
        prefix: String,
        #[arg(long, default_value_t = 1_000)]
        count: usize,
    },
    /// Sales already stored in the coupon holder's current month.
    Backfill {
        #[arg(long)]
        program: String,
        #[arg(long)]
        coupon: String,
        #[arg(long, default_value_t = 100_000)]
        conversions: i64,
    },
}

#[derive(Subcommand)]
enum BenchDealsAction {
    /// Rounds of concurrent registrations: one account by every partner, then different accounts.
    Register {
        #[arg(long, default_value_t = 100)]
        partners: usize,
        #[arg(long, default_value_t = 10)]
        rounds: usize,
    },
    /// Registrations one after another with 1,000 and then this many open deals in the program.
    NearMatches {
        #[arg(long, default_value_t = 100_000)]
        open_deals: i64,
        #[arg(long, default_value_t = 200)]
        registrations: usize,
    },
    /// Fill the benchmark's programs with deals until they hold this many.
    Seed {
        #[arg(long, default_value_t = 100_000)]
        deals: i64,
        #[arg(long, default_value_t = 2_000)]
        partners: usize,
    },
    /// Time the pipeline report's data over the deals in the database.
    Report {
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
}

fn env_help() -> String {
    let mut help = String::from("Environment:\n");
    for (name, default, meaning) in VARIABLES {
        help.push_str(&format!("  {name:<34} {meaning} [default: {default}]\n"));
    }
    help
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    // On this thread, before the async runtime starts any other.
    if let Some(Command::BenchCommissionEngine { conversions, rounds }) = cli.command {
        return match bench_commissions::engine::run(conversions, rounds) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => fail(message),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("trellis: {message}");
    ExitCode::FAILURE
}

async fn run(command: Command) -> Result<(), String> {
    if let Command::LocalDb { action, data_dir } = &command {
        return match action.as_str() {
            "start" => local_db::start(data_dir),
            _ => local_db::stop(data_dir),
        };
    }
    let config = Config::from_env().map_err(|e| format!("configuration error: {e}"))?;
    match command {
        Command::Serve => serve::run(config).await,
        Command::Migrate => with_database(&config, |url| async move { startup::migrate(&url).await }).await,
        Command::SeedDemo => {
            let data_key = startup::data_key(&config)?;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                let logins = seed::run(&url).await?;
                seed::sample_data(&url, data_key.as_ref()).await?;
                println!("Demo logins (password for all: {}):", seed::DEMO_PASSWORD);
                for (who, email) in logins {
                    println!("  {who:<28} {email}");
                }
                Ok(())
            })
            .await
        }
        Command::CreateOperator {
            email,
            role,
            name,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut input = String::new();
                std::io::stdin()
                    .read_to_string(&mut input)
                    .map_err(|e| format!("cannot read the password: {e}"))?;
                Some(input.trim_end_matches(['\n', '\r']).to_owned())
            } else {
                None
            };
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                let new = create_operator::NewOperator {
                    email: email.clone(),
                    role,
                    name,
                    password,
                };
                match create_operator::run(&url, new).await? {
                    Some(generated) => println!("Created {email}. Password (shown once): {generated}"),
                    None => println!("Created {email}."),
                }
                Ok(())
            })
            .await
        }
        Command::ApiKey {
            action: ApiKeyAction::Create { program, name },
        } => {
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                let key = api_key::create(&url, &program, &name).await?;
                eprintln!("API key for {program} (shown once; store it now):");
                println!("{key}");
                Ok(())
            })
            .await
        }
        Command::Retention {
            clicks_older_than,
            dry_run,
        } => {
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                let outcome = retention::run(&url, clicks_older_than, dry_run).await?;
                retention::report(&outcome, dry_run)
            })
            .await
        }
        Command::NewDataKey => {
            println!("{}", data_key::new_key());
            Ok(())
        }
        Command::RotateKey { new_key_file } => {
            let config_ref = &config;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                data_key::rotate(config_ref, &url, &new_key_file).await
            })
            .await
        }
        Command::Backup { file, force } => backup::run(&config, &file, force),
        Command::Restore { file, force } => restore::run(&config, &file, force),
        Command::RebuildStats => {
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                rebuild_stats::run(&url).await?;
                eprintln!("Rebuilt the daily rollups and the month totals from the raw rows.");
                Ok(())
            })
            .await
        }
        Command::VerifyCommissions { program } => {
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                verify_commissions::run(&url, program.as_deref()).await
            })
            .await
        }
        Command::BenchSeedCommissions { count } => {
            bench_only(&config, "bench-seed-commissions")?;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                let started = std::time::Instant::now();
                let seeded = bench_commissions::seed::run(&url, count).await?;
                let seconds = started.elapsed().as_secs_f64();
                println!(
                    "seeded {} conversions with {} accruals and {} overrides ({} partners, {} plans, {} terms versions) in {seconds:.1} s",
                    seeded.conversions, seeded.accruals, seeded.overrides, seeded.partners, seeded.plans, seeded.terms_versions
                );
                let [generated, set_up, inserted, rollups] = seeded.phases;
                println!(
                    "  generating {generated:.1} s, programs, partners, plans and terms {set_up:.1} s, \
                     rows {inserted:.1} s, rollups {rollups:.1} s"
                );
                println!(
                    "RESULT conversions={} accruals={} overrides={} seconds={seconds:.2} total={}",
                    seeded.conversions, seeded.accruals, seeded.overrides, seeded.total
                );
                Ok(())
            })
            .await
        }
        Command::BenchConversions { action } => {
            bench_only(&config, "bench-conversions")?;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                match action {
                    BenchConversionsAction::Partners { program, prefix, count } => {
                        bench_conversions::partners(&url, &program, &prefix, count).await
                    }
                    BenchConversionsAction::Backfill {
                        program,
                        coupon,
                        conversions,
                    } => bench_conversions::backfill(&url, &program, &coupon, conversions).await,
                }
            })
            .await
        }
        Command::BenchPayouts { partners, entries } => {
            bench_only(&config, "bench-payouts")?;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                bench_payouts::run(&url, partners, entries).await
            })
            .await
        }
        Command::BenchTiers { partners, clicks } => {
            bench_only(&config, "bench-tiers")?;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                bench_tiers::run(&url, partners, clicks).await
            })
            .await
        }
        Command::BenchDeals { action } => {
            bench_only(&config, "bench-deals")?;
            let pool_size = config.db_pool_size;
            with_database(&config, |url| async move {
                startup::migrate(&url).await?;
                match action {
                    BenchDealsAction::Register { partners, rounds } => {
                        let options = bench_deals::register::Options {
                            partners,
                            rounds,
                            pool_size,
                        };
                        bench_deals::register::run(&url, options).await
                    }
                    BenchDealsAction::NearMatches {
                        open_deals,
                        registrations,
                    } => {
                        let options = bench_deals::near_matches::Options {
                            open_deals,
                            registrations,
                        };
                        bench_deals::near_matches::run(&url, options).await
                    }
                    BenchDealsAction::Seed { deals, partners } => {
                        let (held, added, seconds) = bench_deals::seed::run(&url, deals, partners).await?;
                        println!("added {added} deals in {seconds:.1} s; the benchmark's programs hold {held}");
                        println!("RESULT deals={held} added={added} seconds={seconds:.2}");
                        Ok(())
                    }
                    BenchDealsAction::Report { rounds } => bench_deals::report::run(&url, rounds).await,
                }
            })
            .await
        }
        Command::Soak {
            instances,
            pids,
            minutes,
            load,
        } => {
            let database_url = config
                .database_url
                .clone()
                .ok_or("soak checks its writes in the instances' database: set DATABASE_URL")?;
            let duration = std::time::Duration::try_from_secs_f64(minutes * 60.0)
                .map_err(|_| format!("--minutes {minutes} is not a duration"))?;
            let options = trellis::soak::Options {
                database_url,
                instances,
                pids,
                duration,
                load,
            };
            let report = trellis::soak::run(options).await?;
            println!("{}", report.markdown());
            match report.failures().as_slice() {
                [] => Ok(()),
                failures => Err(format!("the soak failed: {}", failures.join("; "))),
            }
        }
        Command::LocalDb { .. } | Command::BenchCommissionEngine { .. } => unreachable!("handled above"),
    }
}

/// Refuses a benchmark command unless the benchmark routes are on: benchmarks write their own
/// data and belong in a database made for them.
fn bench_only(config: &Config, command: &str) -> Result<(), String> {
    if config.bench_routes {
        return Ok(());
    }
    Err(format!(
        "{command} writes benchmark data: it runs only with TRELLIS_BENCH_ROUTES=true, against a database made for the benchmark"
    ))
}

/// Runs a one-off command against the database, starting and stopping the private cluster
/// around it when `DATABASE_URL` is not set.
async fn with_database<F, Fut>(config: &Config, f: F) -> Result<(), String>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let database = startup::open_database(config)?;
    let result = f(database.url.clone()).await;
    database.stop();
    result
}
