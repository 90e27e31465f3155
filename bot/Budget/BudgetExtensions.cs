using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

public static class BudgetExtensions
{
    public static IHostApplicationBuilder AddBudget(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<ICommand, BudgetCommand>();
        return builder;
    }
}
