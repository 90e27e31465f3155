namespace EmpowerBot.Hosting;

/// <summary>
/// The bot's two clocks, each its own registration, so which one a piece of code reads is said in its constructor.
/// <para>
/// <b>Business time</b> is the unkeyed <see cref="TimeProvider"/>: what the bot decides by and writes down (budget
/// periods, credit moments, approval expiry, break ends, outbox due times and leases, token lifetimes, request-signature
/// windows). Tests fake it and move it by hours.
/// </para>
/// <para>
/// <b>Wall time</b> is the <see cref="TimeProvider"/> keyed <see cref="Wall"/>: waits on a real peer and stamps a real
/// peer compares with its own clock (the HTTP pipeline's backoff and timeouts, a Retry-After date, the billing
/// webhook's timestamp). Moving business time never shortens a wait on a peer, and a test can fake this clock alone.
/// </para>
/// </summary>
public static class Clocks
{
    /// <summary>The service key of the wall clock: <c>[FromKeyedServices(Clocks.Wall)] TimeProvider wall</c>.</summary>
    public const string Wall = "wall";

    /// <summary>Registers both clocks on the system clock; a host (or a test) replaces either one on its own.</summary>
    public static IHostApplicationBuilder AddClocks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKeyedSingleton(Wall, TimeProvider.System);
        return builder;
    }
}
