using Microsoft.Extensions.Options;
using EmpowerBot.Storage;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Conversation;

/// <summary>
/// Keeps the roster's snapshot equal to the stored organisation. At start-up (before the app takes traffic) it stores
/// the configured organisation if none is stored, then loads what is stored; afterwards it looks at the version row
/// every Organization:RefreshInterval and reloads when another instance changed something. A change made here is
/// loaded at once, and the money paths (<see cref="EnsureCurrentAsync"/>) look before they decide, so someone removed
/// on one instance cannot spend on another in the meantime.
/// </summary>
public sealed class OrganizationSync(OrganizationStore store, Roster roster, IOptions<OrganizationOptions> options, ILogger<OrganizationSync> log)
    : BackgroundService
{
    private readonly SemaphoreSlim reloading = new(1, 1);

    public override async Task StartAsync(CancellationToken ct)
    {
        await store.SeedAsync(roster.TeamSettings, ct);
        await ReloadAsync(ct);
        log.LogInformation("Organisation loaded: {Teams} teams, version {Version}", roster.Teams.Count, roster.Version);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await EnsureCurrentAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                log.LogWarning(e, "Could not look at the stored organisation's version; keeping version {Version}", roster.Version);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reloads when the stored version is not the snapshot's; true when it did. One point read when nothing changed.</summary>
    public async Task<bool> EnsureCurrentAsync(CancellationToken ct)
    {
        var stamp = await store.StampAsync(ct);
        if (stamp is null || stamp.Version == roster.Version) return false;
        await ReloadAsync(ct);
        return true;
    }

    /// <summary>
    /// The person as the stored organisation has them now: for the money paths (a credit, a decision), which must not
    /// act on a snapshot another instance has made stale (someone removed from a team, a manager made a rep).
    /// </summary>
    public async Task<Person> CurrentAsync(Person person, CancellationToken ct)
    {
        if (!await EnsureCurrentAsync(ct)) return person;
        return roster.Resolve(person.TenantId, person.Key, person.Name, person.Email) with { OwnZone = person.OwnZone };
    }

    /// <summary>Stores the changes and loads the result before returning, so the next turn here sees them.</summary>
    public async Task ChangeAsync(IReadOnlyList<Change> changes, CancellationToken ct, IReadOnlyList<TableEntity>? audit = null)
    {
        if (changes.Count == 0) return;
        await store.ChangeAsync(changes, ct, audit);
        await ReloadAsync(ct);
    }

    /// <summary>A change decided on the stored organisation (see <see cref="OrganizationStore.ChangeWhenAsync"/>), loaded here when made.</summary>
    public async Task<bool> ChangeWhenAsync(Func<List<TeamOptions>, (IReadOnlyList<Change> Changes, IReadOnlyList<TableEntity> Extra)?> decide, CancellationToken ct)
    {
        var changed = await store.ChangeWhenAsync(decide, ct);
        if (changed) await ReloadAsync(ct);
        return changed;
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await reloading.WaitAsync(ct);
        try
        {
            var (teams, version) = await store.LoadAsync(ct);
            roster.Load(teams, version);
        }
        finally
        {
            reloading.Release();
        }
    }
}
