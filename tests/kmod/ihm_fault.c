// SPDX-License-Identifier: GPL-2.0
/*
 * ihm_fault - make the kernel report a WARNING on purpose.
 *
 * The workbench treats any kernel splat in a guest's console as a failed
 * run.  Loading this module (only done when the host asks for it with
 * IHM_FAULT=warn) is how that detection is proven to work on a booted
 * kernel, not just on a sample log.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init ihm_fault_init(void)
{
	WARN(1, "ihm_fault: warning injected on request\n");
	return 0;
}

static void __exit ihm_fault_exit(void)
{
}

module_init(ihm_fault_init);
module_exit(ihm_fault_exit);
MODULE_DESCRIPTION("Inject a kernel WARNING to test the workbench's splat detection");
MODULE_LICENSE("GPL");
