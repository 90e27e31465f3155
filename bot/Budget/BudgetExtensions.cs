using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.Budget;

public static class BudgetExtensions
{
    /// <summary>Registers the ledger, the credit commands and the billing hand-off.</summary>
    public static IHostApplicationBuilder AddBudget(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Ledger>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CreditUndo>();
        services.AddSingleton<UndoOffer>();
        services.AddSingleton<ExceptionLedger>();
        services.AddSingleton<CustomerIndex>();
        services.AddSingleton<CreditHandoff>();
        services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<CreditHandoff>());
        services.AddSingleton<CustomerFollowUp>();
        services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<CustomerFollowUp>());
        services.AddSingleton<CustomerCompletions>();
        services.AddHostedService(sp => sp.GetRequiredService<CustomerCompletions>());
        services.AddSingleton<ICommand, BudgetCommand>();
        services.AddSingleton<ICommand, CreditCommand>();
        services.AddSingleton<ICommand, AskCommand>();
        services.AddSingleton<IFormCheck, CreditFormCheck>();
        services.AddSingleton<ICommand, HistoryCommand>();
        services.AddSingleton<ICommand, UndoCommand>();
        return builder;
    }
}
